import { Inject, Injectable } from '@nestjs/common';
import { visitsConfig, VisitsConfig } from '../config/visits.config';
import type { VisitSlotView } from './dto/visit-slot.dto';

/**
 * The public slot list is the hottest read on the day of the ceremony. Each edition's list is
 * kept for VISIT_SLOTS_CACHE_MS (default 1 s) and shared by the requests that arrive meanwhile
 * (one query for all of them). Every visits write in this process clears it once committed, so a
 * visitor who books here sees the booking at once; another instance shows it within the TTL.
 * Seats are never decided from this list: booking takes them in the database.
 */
@Injectable()
export class PublicSlotsCache {
  private readonly entries = new Map<string, { expiresAt: number; views: Promise<VisitSlotView[]> }>();

  constructor(@Inject(visitsConfig.KEY) private readonly config: VisitsConfig) {}

  get(ceremonyId: string, load: () => Promise<VisitSlotView[]>): Promise<VisitSlotView[]> {
    if (this.config.slotsCacheMs === 0) return load();
    const now = Date.now();
    const cached = this.entries.get(ceremonyId);
    if (cached && cached.expiresAt > now) return cached.views;
    const views = load();
    const entry = { expiresAt: now + this.config.slotsCacheMs, views };
    this.entries.set(ceremonyId, entry);
    // A failed read (unknown or unpublished edition, database error) is not kept.
    views.catch(() => {
      if (this.entries.get(ceremonyId) === entry) this.entries.delete(ceremonyId);
    });
    return views;
  }

  /** Runs a change to slots or bookings; the cached lists are dropped once it has ended, whatever its outcome. */
  async invalidating<T>(change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.clear();
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
