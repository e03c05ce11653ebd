import { describe, expect, it } from 'vitest';
import { randomArchitecture } from './random-architecture';

const space = Array.from({ length: 4 }, () => ['C1D1', 'C1D2', 'C2D1', 'C2D2']);

describe('randomArchitecture', () => {
  it('draws one candidate of each node, the same for the same seed', () => {
    const a = randomArchitecture(space, 3);
    expect(a).toHaveLength(4);
    for (const op of a) expect(space[0]).toContain(op);
    expect(randomArchitecture(space, 3)).toEqual(a);
  });

  it('covers the space uniformly over seeds', () => {
    const counts = new Map<string, number>();
    for (let s = 0; s < 2000; s++) {
      const op = randomArchitecture(space, s)[2]!;
      counts.set(op, (counts.get(op) ?? 0) + 1);
    }
    // 500 expected per candidate; 4 sd of a binomial(2000, 1/4) is about 77.
    for (const op of space[0]!) expect(Math.abs((counts.get(op) ?? 0) - 500)).toBeLessThan(80);
    const distinct = new Set(Array.from({ length: 50 }, (_, s) => randomArchitecture(space, s).join(' ')));
    expect(distinct.size).toBeGreaterThan(40);
  });

  it('takes the only candidate of a fixed node and refuses an empty one', () => {
    expect(randomArchitecture([['only'], ['x', 'y']], 0)[0]).toBe('only');
    expect(() => randomArchitecture([[]], 0)).toThrow(/node 0 has no candidates/);
  });
});
