/** A role's shift as local HH:mm on the edition date. */
export interface Shift {
  name: string;
  shiftStart: string;
  shiftEnd: string;
}

/** Two shifts overlap when each starts before the other ends (touching ends do not clash). */
export function shiftsOverlap(
  a: Pick<Shift, 'shiftStart' | 'shiftEnd'>,
  b: Pick<Shift, 'shiftStart' | 'shiftEnd'>,
): boolean {
  return a.shiftStart < b.shiftEnd && b.shiftStart < a.shiftEnd;
}

/** The first pair of shifts that overlap, or null. HH:mm strings compare like times. */
export function findShiftClash<T extends Shift>(shifts: readonly T[]): [T, T] | null {
  const sorted = [...shifts].sort(
    (a, b) => a.shiftStart.localeCompare(b.shiftStart) || a.shiftEnd.localeCompare(b.shiftEnd),
  );
  for (let index = 1; index < sorted.length; index += 1) {
    for (let earlier = 0; earlier < index; earlier += 1) {
      if (shiftsOverlap(sorted[earlier], sorted[index])) return [sorted[earlier], sorted[index]];
    }
  }
  return null;
}

export function describeClash([a, b]: [Shift, Shift]): string {
  return `The shifts of "${a.name}" (${a.shiftStart}-${a.shiftEnd}) and "${b.name}" (${b.shiftStart}-${b.shiftEnd}) overlap; one person cannot take both`;
}
