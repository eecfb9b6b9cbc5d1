import { jsonDepthExceeds } from './json-depth';

describe('jsonDepthExceeds', () => {
  const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;

  it('should accept scalars and shallow bodies', () => {
    expect(jsonDepthExceeds('x', 2)).toBe(false);
    expect(jsonDepthExceeds({ a: [1, 2] }, 2)).toBe(false);
  });

  it('should refuse a body nested deeper than the limit, in arrays or objects', () => {
    expect(jsonDepthExceeds({ a: { b: {} } }, 2)).toBe(true);
    expect(jsonDepthExceeds(nested(100_000))).toBe(true);
  });
});
