/**
 * Which waiting parties move up when `freeSeats` seats are free: in arrival order, each party
 * that fits in what is left is taken whole; one that does not fit is skipped (never split), so a
 * later, smaller party may still move up.
 */
export function choosePromotions<T extends { partySize: number }>(
  waitlistInArrivalOrder: readonly T[],
  freeSeats: number,
): T[] {
  const chosen: T[] = [];
  let left = freeSeats;
  for (const party of waitlistInArrivalOrder) {
    if (left <= 0) break;
    if (party.partySize <= left) {
      chosen.push(party);
      left -= party.partySize;
    }
  }
  return chosen;
}

/** How many slots a generation plan makes: starts every `everyMinutes` while start + duration <= end. */
export function countGeneratedSlots(
  fromMs: number,
  toMs: number,
  everyMinutes: number,
  durationMinutes: number,
): number {
  const span = toMs - fromMs - durationMinutes * 60_000;
  if (span < 0) return 0;
  return Math.floor(span / (everyMinutes * 60_000)) + 1;
}
