import { describe, expect, it } from 'vitest';
import {
  conditionalLosses,
  countPaths,
  enumeratePaths,
  expectedLoss,
  expectedLossGradient,
  type PathLoss,
  pathRank,
} from './path-table';

const softmax = (a: readonly number[]) => {
  const m = Math.max(...a);
  const e = a.map((x) => Math.exp(x - m));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((x) => x / s);
};

// A space of 2, 3 and 2 candidates (12 paths) with fixed, unequal losses.
const COUNTS = [2, 3, 2];
const table = (): PathLoss[] =>
  enumeratePaths(COUNTS, 100)!.map((choices, i) => ({
    choices,
    loss: 3 + ((i * 7) % 11) * 0.37 + choices[1]! * 0.2,
  }));
const LOGITS = [
  [0.3, -0.4],
  [0.1, 0.9, -0.6],
  [-1.2, 0.5],
];

describe('enumeratePaths', () => {
  it('lists every path once, the last node fastest, and refuses a space above the cap', () => {
    expect(enumeratePaths([2, 2], 4)).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(enumeratePaths(COUNTS, 100)).toHaveLength(12);
    expect(countPaths([4, 4, 4, 4, 4, 4])).toBe(4096);
    expect(enumeratePaths([4, 4, 4, 4, 4, 4], 64)).toBeUndefined();
    expect(() => enumeratePaths([2, 0], 10)).toThrow(/integers >= 1, got 0/);
  });
});

describe('expectedLossGradient', () => {
  it('equals a central finite difference of the expected loss in every logit', () => {
    const t = table();
    const probs = LOGITS.map(softmax);
    const g = expectedLossGradient(probs, t);
    const h = 1e-5;
    LOGITS.forEach((a, n) => {
      a.forEach((_, j) => {
        const at = (d: number) =>
          expectedLoss(
            LOGITS.map((b, m) => softmax(m === n ? b.map((x, i) => (i === j ? x + d : x)) : b)),
            t,
          );
        expect(g[n]![j]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 8);
      });
      // Softmax logits: the gradient of each node sums to 0.
      expect(g[n]!.reduce((x, y) => x + y, 0)).toBeCloseTo(0, 12);
    });
  });

  it('for two nodes of two candidates is p0 p1 (L(1) - L(0)) averaged over the other node', () => {
    const t: PathLoss[] = [
      { choices: [0, 0], loss: 6 },
      { choices: [0, 1], loss: 4 },
      { choices: [1, 0], loss: 5 },
      { choices: [1, 1], loss: 4.5 },
    ];
    const probs = [
      [0.7, 0.3],
      [0.4, 0.6],
    ];
    // Node 0: E[L | 0] = 0.4*6 + 0.6*4 = 4.8; E[L | 1] = 0.4*5 + 0.6*4.5 = 4.7.
    expect(conditionalLosses(probs, t)[0]).toEqual([expect.closeTo(4.8, 12), expect.closeTo(4.7, 12)]);
    expect(expectedLossGradient(probs, t)[0]![1]).toBeCloseTo(0.7 * 0.3 * (4.7 - 4.8), 12);
    // Node 1: E[L | 0] = 0.7*6 + 0.3*5 = 5.7; E[L | 1] = 0.7*4 + 0.3*4.5 = 4.15.
    expect(expectedLossGradient(probs, t)[1]![1]).toBeCloseTo(0.4 * 0.6 * (4.15 - 5.7), 12);
    expect(expectedLoss(probs, t)).toBeCloseTo(0.7 * 4.8 + 0.3 * 4.7, 12);
  });

  it('refuses a table that misses, repeats or misfits a path', () => {
    const probs = [
      [0.5, 0.5],
      [0.5, 0.5],
    ];
    const t: PathLoss[] = [
      { choices: [0, 0], loss: 1 },
      { choices: [0, 1], loss: 1 },
      { choices: [1, 0], loss: 1 },
    ];
    expect(() => expectedLossGradient(probs, t)).toThrow(/holds 3 paths; the space has 4/);
    expect(() => expectedLossGradient(probs, [...t, { choices: [1, 0], loss: 2 }])).toThrow(
      /\[1, 0\] appears twice/,
    );
    expect(() => expectedLossGradient(probs, [...t, { choices: [1, 2], loss: 2 }])).toThrow(/does not fit/);
  });
});

describe('pathRank', () => {
  it('ranks by loss, ties sharing the better rank', () => {
    const t: PathLoss[] = [
      { choices: [0, 0], loss: 6 },
      { choices: [0, 1], loss: 4 },
      { choices: [1, 0], loss: 4 },
      { choices: [1, 1], loss: 4.5 },
    ];
    expect(pathRank(t, [0, 1])).toBe(1);
    expect(pathRank(t, [1, 0])).toBe(1);
    expect(pathRank(t, [1, 1])).toBe(3);
    expect(pathRank(t, [0, 0])).toBe(4);
    expect(() => pathRank(t, [2, 0])).toThrow(/not in the table/);
  });
});
