import { describeClash, findShiftClash } from './volunteer-shifts';

describe('volunteer shifts', () => {
  const sut = findShiftClash;
  const role = (name: string, shiftStart: string, shiftEnd: string) => ({ name, shiftStart, shiftEnd });

  it('should find the overlapping pair whatever the order of the roles', () => {
    const clash = sut([
      role('Interpreting', '11:00', '13:00'),
      role('Queue', '08:00', '09:00'),
      role('Carnations', '09:00', '11:30'),
    ]);
    expect(clash?.map((shift) => shift.name)).toEqual(['Carnations', 'Interpreting']);
    expect(describeClash(clash!)).toBe(
      'The shifts of "Carnations" (09:00-11:30) and "Interpreting" (11:00-13:00) overlap; one person cannot take both',
    );
  });

  it('should let a shift start when the previous one ends', () => {
    expect(sut([role('Early', '08:00', '10:00'), role('Late', '10:00', '12:00')])).toBeNull();
  });

  it('should treat a shift inside another as a clash', () => {
    expect(sut([role('Day', '08:00', '18:00'), role('Noon', '12:00', '12:30')])?.map((shift) => shift.name)).toEqual([
      'Day',
      'Noon',
    ]);
  });
});
