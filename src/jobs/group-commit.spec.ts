import { GroupCommit } from './group-commit';

/** Lets pending promise callbacks run (no timers involved). */
const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('GroupCommit', () => {
  afterEach(() => jest.useRealTimers());

  it('should write outcomes that arrive during a write together in the next one, and resolve each after its own write', async () => {
    const writes: number[][] = [];
    let finishFirst!: () => void;
    const group = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
    });
    const done: number[] = [];
    const first = group.record(1).then(() => done.push(1));
    const later = [2, 3, 4].map((item) => group.record(item).then(() => done.push(item)));
    await settle();
    expect(writes).toEqual([[1]]);
    expect(done).toEqual([]);
    finishFirst();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
    expect(done).toEqual([1, 2, 3, 4]);
  });

  it('should reject every outcome of a failed write and go on with the next ones', async () => {
    let fail = true;
    const group = new GroupCommit<number>(async () => {
      if (fail) throw new Error('database gone');
    });
    await expect(group.record(1)).rejects.toThrow('database gone');
    fail = false;
    await expect(group.record(2)).resolves.toBeUndefined();
  });

  it('should linger for more outcomes before a write from idle, up to its time', async () => {
    jest.useFakeTimers();
    const writes: number[][] = [];
    const group = new GroupCommit<number>(
      async (items) => {
        writes.push(items);
      },
      { ms: 3, upTo: 5 },
    );
    const recorded = [group.record(1), group.record(2)];
    await settle();
    jest.advanceTimersByTime(2);
    await settle();
    expect(writes).toEqual([]);
    recorded.push(group.record(3));
    jest.advanceTimersByTime(1);
    await Promise.all(recorded);
    expect(writes).toEqual([[1, 2, 3]]);
  });

  it('should linger again before the write that follows another, so outcomes of a write in progress gather with later ones', async () => {
    jest.useFakeTimers();
    const writes: number[][] = [];
    let finishFirst!: () => void;
    const group = new GroupCommit<number>(
      async (items) => {
        writes.push(items);
        if (writes.length === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
      },
      { ms: 3, upTo: 5 },
    );
    const recorded = [group.record(1)];
    jest.advanceTimersByTime(3);
    await settle();
    expect(writes).toEqual([[1]]);
    recorded.push(group.record(2));
    finishFirst();
    await settle();
    expect(writes).toEqual([[1]]);
    recorded.push(group.record(3));
    jest.advanceTimersByTime(3);
    await Promise.all(recorded);
    expect(writes).toEqual([[1], [2, 3]]);
  });

  it('should end the linger as soon as enough outcomes wait', async () => {
    jest.useFakeTimers();
    const writes: number[][] = [];
    const group = new GroupCommit<number>(
      async (items) => {
        writes.push(items);
      },
      { ms: 60_000, upTo: 3 },
    );
    const recorded = [group.record(1), group.record(2), group.record(3)];
    await settle();
    expect(writes).toEqual([[1, 2, 3]]);
    await Promise.all(recorded);
    expect(jest.getTimerCount()).toBe(0);
  });
});
