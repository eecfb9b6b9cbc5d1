import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../database/sql-rows';
import type { RetentionRun } from './retention-run.entity';

export interface DueEdition {
  id: string;
  year: number;
  dueAt: Date;
}

export interface ErasedCounts {
  bookings: number;
  volunteers: number;
  deliveries: number;
  outbox: number;
}

/** Placeholder address of an erased row: unique per row (the unique keys on email hold) and undeliverable (RFC 2606). */
const ERASED_EMAIL = `'@erased.invalid'`;

/**
 * Erasure of an edition's personal data, set-based, in the caller's transaction. Only the personal
 * columns change: statuses, party sizes, assignments and delivery statuses stay, so every count
 * (slot booked and checked in, role filled, mailing counts) reads the same afterwards.
 */
@Injectable()
export class RetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private async sql<T>(manager: EntityManager | undefined, query: string, params: unknown[]): Promise<T[]> {
    return rowsOf<T>(await (manager ?? this.dataSource.manager).query(query, params));
  }

  /** Editions whose erasure is due (midnight in their zone, `days` after their date) and not yet done. */
  findDue(days: number, now: Date): Promise<DueEdition[]> {
    return this.sql<DueEdition>(
      undefined,
      `SELECT c.id, c.year, ((c.date + $1::int)::timestamp AT TIME ZONE c.time_zone) AS "dueAt"
         FROM ceremonies c
        WHERE NOT EXISTS (SELECT 1 FROM retention_runs r WHERE r.ceremony_id = c.id)
          AND ((c.date + $1::int)::timestamp AT TIME ZONE c.time_zone) <= $2
        ORDER BY c.date`,
      [days, now],
    );
  }

  /**
   * Claims the edition's erasure. Idempotent: the primary key lets one transaction in, and a
   * concurrent one (another instance) waits for it and then finds the row: false.
   */
  async claim(ceremonyId: string, at: Date, manager: EntityManager): Promise<boolean> {
    const rows = await this.sql<{ ceremony_id: string }>(
      manager,
      `INSERT INTO retention_runs (ceremony_id, erased_at, bookings, volunteers, deliveries, outbox) VALUES ($1, $2, 0, 0, 0, 0)
       ON CONFLICT (ceremony_id) DO NOTHING RETURNING ceremony_id`,
      [ceremonyId, at],
    );
    return rows.length === 1;
  }

  async eraseBookings(ceremonyId: string, at: Date, manager: EntityManager): Promise<number> {
    const rows = await this.sql<{ id: string }>(
      manager,
      `UPDATE bookings AS b SET name = '', email = b.id::text || ${ERASED_EMAIL}, phone = NULL, group_name = NULL, check_in_code_hash = NULL, erased_at = $2, updated_at = now()
         FROM visit_slots s
        WHERE s.id = b.slot_id AND s.ceremony_id = $1 AND b.erased_at IS NULL
       RETURNING b.id`,
      [ceremonyId, at],
    );
    return rows.length;
  }

  async eraseVolunteers(ceremonyId: string, manager: EntityManager): Promise<number> {
    await this.sql(
      manager,
      `DELETE FROM volunteer_signup_requests q USING volunteers v WHERE v.id = q.volunteer_id AND v.ceremony_id = $1`,
      [ceremonyId],
    );
    const rows = await this.sql<{ id: string }>(
      manager,
      `UPDATE volunteers SET name = NULL, email = NULL, phone = NULL, languages = NULL, note = NULL, token_hash = NULL, consent_reminders = false, updated_at = now()
        WHERE ceremony_id = $1 AND (name IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL OR languages IS NOT NULL OR note IS NOT NULL OR token_hash IS NOT NULL)
       RETURNING id`,
      [ceremonyId],
    );
    return rows.length;
  }

  /** Finished deliveries of the edition's mailings lose their address and links; their statuses (the counts) stay. */
  async eraseDeliveries(ceremonyId: string, manager: EntityManager): Promise<number> {
    const rows = await this.sql<{ id: string }>(
      manager,
      `UPDATE deliveries AS d SET email = d.id::text || ${ERASED_EMAIL}, name = NULL, manage_url = NULL, unsubscribe_token_hash = NULL, previous_token_hash = NULL,
              smtp_response = NULL, last_error = NULL, updated_at = now()
         FROM mailings m
        WHERE m.id = d.mailing_id AND m.ceremony_id = $1 AND d.status NOT IN ('queued', 'sending') AND d.email NOT LIKE ${`'%'`} || ${ERASED_EMAIL}
       RETURNING d.id`,
      [ceremonyId],
    );
    return rows.length;
  }

  async recordCounts(ceremonyId: string, counts: ErasedCounts, manager: EntityManager): Promise<void> {
    await this.sql(
      manager,
      `UPDATE retention_runs SET bookings = $2, volunteers = $3, deliveries = $4, outbox = $5 WHERE ceremony_id = $1`,
      [ceremonyId, counts.bookings, counts.volunteers, counts.deliveries, counts.outbox],
    );
  }

  async findRun(ceremonyId: string): Promise<RetentionRun | null> {
    const [row] = await this.sql<RetentionRun>(
      undefined,
      `SELECT ceremony_id AS "ceremonyId", erased_at AS "erasedAt", bookings, volunteers, deliveries, outbox FROM retention_runs WHERE ceremony_id = $1`,
      [ceremonyId],
    );
    return row ?? null;
  }

  /** When the edition's erasure falls due (midnight in its zone, `days` after its date). */
  async dueAt(ceremonyId: string, days: number): Promise<Date | null> {
    const [row] = await this.sql<{ dueAt: Date }>(
      undefined,
      `SELECT ((c.date + $2::int)::timestamp AT TIME ZONE c.time_zone) AS "dueAt" FROM ceremonies c WHERE c.id = $1`,
      [ceremonyId, days],
    );
    return row?.dueAt ?? null;
  }
}
