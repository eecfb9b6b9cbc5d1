import { BadRequestException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Audience kinds a mailing may name; `all` is the union of every registered source. */
export const AUDIENCE_KINDS = ['volunteers', 'visitors', 'subscribers', 'all'] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

export interface AudienceSpec {
  kind: string;
  ceremonyId?: string | null;
  filters?: Record<string, unknown> | null;
  /** Set by the annual reminders: sources then include only people who consented to reminders. */
  purpose?: 'reminder';
}

/** Collects positional parameters ($1, $2...) while SQL fragments are assembled. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(initial: unknown[] = []) {
    this.values.push(...initial);
  }
  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * One kind of recipient (subscribers, visitors, volunteers). A feature that owns people registers
 * its source in `onModuleInit` with `AudienceSources.register(source)`; the mailing engine knows
 * nothing else about them.
 *
 * Contract:
 * - `select(audience, params)` returns ONE SQL SELECT producing exactly these columns, in this order:
 *     email text, name text|null, locale text|null, source_type text, source_id text|null, manage_url text|null
 *   for the people of this kind (optionally of `audience.ceremonyId`, narrowed by `audience.filters`).
 *   Put every value through `params.add(value)`; never interpolate input into the SQL. The engine
 *   de-duplicates by lower(email) and removes suppressed addresses, so a source does neither.
 *   `source_type` must equal `this.sourceType`.
 * - `eligibleSql` is a boolean SQL expression over the delivery row aliased `d` (columns
 *   d.email, d.source_id...) that says whether the person may still be mailed at send time, e.g.
 *   "the subscriber is still confirmed", "the booking is not cancelled", "the volunteer has not
 *   withdrawn or been erased". It runs once per claimed batch, without parameters. Compare keys in
 *   the source's own type (`s.id = d.source_id::uuid`): a cast on the source's column
 *   (`s.id::text = d.source_id`) cannot use its primary key and reads the whole table for every row.
 * - `validateFilters(filters)` returns messages for filters it does not understand (a 400).
 * - `onUnsubscribed(email, manager)` (optional) reflects a one-click unsubscribe in the source's own
 *   records (e.g. subscriber -> unsubscribed), inside the unsubscribe transaction.
 * - `priority`: when one address comes from several sources under `all`, the lowest priority wins
 *   (its name, language and manage link are used).
 */
export interface AudienceSource {
  kind: Exclude<AudienceKind, 'all'>;
  sourceType: string;
  priority: number;
  /** Whether the source needs (`required`), accepts (`optional`) or ignores (`none`) a ceremonyId. */
  ceremony: 'required' | 'optional' | 'none';
  select(audience: AudienceSpec, params: SqlParams): string;
  eligibleSql: string;
  validateFilters?(filters: Record<string, unknown>): string[];
  onUnsubscribed?(email: string, manager: EntityManager): Promise<void>;
}

export const AUDIENCE_COLUMNS = 'email, name, locale, source_type, source_id, manage_url';

/** The registry of audience sources; `all` means every registered one. */
@Injectable()
export class AudienceSources {
  private readonly sources = new Map<string, AudienceSource>();

  register(source: AudienceSource): void {
    this.sources.set(source.kind, source);
  }

  list(): AudienceSource[] {
    return [...this.sources.values()].sort((a, b) => a.priority - b.priority);
  }

  /** The sources behind an audience; a 400 naming the problem when it cannot be served. */
  resolve(audience: AudienceSpec): AudienceSource[] {
    const sources =
      audience.kind === 'all'
        ? this.list()
        : [this.sources.get(audience.kind)].filter((source): source is AudienceSource => !!source);
    if (sources.length === 0) {
      const known = [...this.sources.keys(), 'all'].join(', ');
      throw new BadRequestException(`audience.kind "${audience.kind}" is not available; available: ${known}`);
    }
    if (audience.kind !== 'all') {
      const [source] = sources;
      if (source.ceremony === 'required' && !audience.ceremonyId)
        throw new BadRequestException(`audience.ceremonyId is required for ${audience.kind}`);
      const problems =
        source.validateFilters?.(audience.filters ?? {}) ??
        Object.keys(audience.filters ?? {}).map((key) => `audience.filters.${key} is not known for ${audience.kind}`);
      if (problems.length > 0) throw new BadRequestException(problems);
    } else if (audience.filters && Object.keys(audience.filters).length > 0) {
      throw new BadRequestException('audience.filters cannot be used with kind "all"');
    }
    return sources;
  }

  /** A SELECT of the whole audience (duplicates included), each row tagged with its source priority. */
  unionSql(audience: AudienceSpec, params: SqlParams): string {
    return this.resolve(audience)
      .map(
        (source) =>
          `SELECT ${AUDIENCE_COLUMNS}, ${source.priority}::int AS priority FROM (${source.select(audience, params)}) AS "${source.sourceType}_audience"`,
      )
      .join('\nUNION ALL\n');
  }

  /** True when the delivery row `d` may still be mailed, by its source's own rule. */
  eligibleSql(): string {
    const cases = this.list().map((source) => `WHEN '${source.sourceType}' THEN (${source.eligibleSql})`);
    return cases.length === 0 ? 'false' : `(CASE d.source_type ${cases.join(' ')} ELSE false END)`;
  }

  bySourceType(sourceType: string): AudienceSource | undefined {
    return this.list().find((source) => source.sourceType === sourceType);
  }
}
