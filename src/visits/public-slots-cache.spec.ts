import type { VisitsConfig } from '../config/visits.config';
import type { VisitSlotView } from './dto/visit-slot.dto';
import { PublicSlotsCache } from './public-slots-cache';

const config = (slotsCacheMs: number) => ({ maxPartySize: 20, maxGeneratedSlots: 500, slotsCacheMs }) as VisitsConfig;
const views = (remaining: number) => [{ id: 's1', remaining }] as unknown as VisitSlotView[];

describe('PublicSlotsCache', () => {
  it('should answer concurrent requests for one edition with one load', async () => {
    const sut = new PublicSlotsCache(config(1000));
    const load = jest.fn(() => Promise.resolve(views(5)));
    const [first, second] = await Promise.all([sut.get('c1', load), sut.get('c1', load)]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
  });

  it('should load again after a change cleared it', async () => {
    const sut = new PublicSlotsCache(config(60_000));
    await sut.get('c1', () => Promise.resolve(views(5)));
    sut.clear();
    await expect(sut.get('c1', () => Promise.resolve(views(4)))).resolves.toEqual(views(4));
  });

  it('should load again once the time to live has passed', async () => {
    const sut = new PublicSlotsCache(config(1000));
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    await sut.get('c1', () => Promise.resolve(views(5)));
    now.mockReturnValue(1_001_001);
    await expect(sut.get('c1', () => Promise.resolve(views(3)))).resolves.toEqual(views(3));
    now.mockRestore();
  });

  it('should not keep a failed load', async () => {
    const sut = new PublicSlotsCache(config(60_000));
    await expect(sut.get('c1', () => Promise.reject(new Error('not found')))).rejects.toThrow('not found');
    await expect(sut.get('c1', () => Promise.resolve(views(2)))).resolves.toEqual(views(2));
  });

  it('should not cache at all when the time to live is 0', async () => {
    const sut = new PublicSlotsCache(config(0));
    const load = jest.fn(() => Promise.resolve(views(5)));
    await sut.get('c1', load);
    await sut.get('c1', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
