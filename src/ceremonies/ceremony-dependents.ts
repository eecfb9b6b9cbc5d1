import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Ceremony } from './ceremony.entity';

/**
 * What a feature that hangs off an edition (visit slots, volunteer roles, ...) does when the
 * edition is copied to next year or its date/time moves. Features register themselves in
 * onModuleInit, so the ceremonies feature does not depend on them.
 */
export interface CeremonyDependent {
  readonly name: string;
  /** Copies this feature's plan (e.g. slot pattern, roles) into next year's draft, in the same transaction. */
  copyToNextYear?(from: Ceremony, to: Ceremony, manager: EntityManager): Promise<void>;
  /** Keeps this feature's times relative to the edition after its date or start time changed. */
  rescheduleAfterDateChange?(before: Ceremony, after: Ceremony, manager: EntityManager): Promise<void>;
}

@Injectable()
export class CeremonyDependents {
  private readonly dependents: CeremonyDependent[] = [];

  register(dependent: CeremonyDependent): void {
    if (!this.dependents.some((existing) => existing.name === dependent.name)) this.dependents.push(dependent);
  }

  all(): readonly CeremonyDependent[] {
    return this.dependents;
  }
}
