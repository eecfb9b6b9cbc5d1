import fc from 'fast-check';
import { choosePromotions, countGeneratedSlots } from './waitlist';

describe('choosePromotions', () => {
  const parties = (...sizes: number[]) => sizes.map((partySize, index) => ({ id: `p${index}`, partySize }));

  it('should promote in arrival order as far as the free seats allow', () => {
    const sut = choosePromotions(parties(2, 1, 3), 3);
    expect(sut.map((party) => party.id)).toEqual(['p0', 'p1']);
  });

  it('should skip a party that does not fit and take a later smaller one', () => {
    const sut = choosePromotions(parties(3, 2, 1), 2);
    expect(sut.map((party) => party.id)).toEqual(['p1']);
  });

  it('should promote nobody when no seat is free', () => {
    expect(choosePromotions(parties(1), 0)).toEqual([]);
  });

  it('should never exceed the free seats and leave no waiting party that would still fit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 40 }),
        (sizes, free) => {
          const waiting = parties(...sizes);
          const sut = choosePromotions(waiting, free);
          const used = sut.reduce((sum, party) => sum + party.partySize, 0);
          expect(used).toBeLessThanOrEqual(free);
          const left = free - used;
          const skipped = waiting.filter((party) => !sut.includes(party));
          expect(skipped.every((party) => party.partySize > left)).toBe(true);
          // Arrival order is kept.
          expect(sut.map((party) => waiting.indexOf(party))).toEqual(
            [...sut.map((party) => waiting.indexOf(party))].sort((a, b) => a - b),
          );
        },
      ),
    );
  });
});

describe('countGeneratedSlots', () => {
  const at = (time: string) => Date.parse(`2027-02-26T${time}:00Z`);

  it('should count the slots whose end is not after the end of the window', () => {
    expect(countGeneratedSlots(at('09:00'), at('12:00'), 30, 30)).toBe(6);
    expect(countGeneratedSlots(at('09:00'), at('12:00'), 30, 45)).toBe(5);
  });

  it('should count none when one slot does not fit', () => {
    expect(countGeneratedSlots(at('09:00'), at('09:20'), 30, 30)).toBe(0);
  });
});
