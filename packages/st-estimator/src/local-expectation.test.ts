import { describe, expect, it } from 'vitest';
import { localExpectationAt, localExpectationGradient } from './local-expectation';
import { createRng } from './rng';

const softmax = (a: readonly number[]) => {
  const m = Math.max(...a);
  const e = a.map((x) => Math.exp(x - m));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((x) => x / s);
};

// Three nodes of 2, 3 and 2 candidates, with a loss whose nodes interact (not additive).
const COUNTS = [2, 3, 2];
const loss = (c: readonly number[]) =>
  5 + 0.7 * c[0]! - 0.4 * c[1]! + c[0]! * c[2]! * 1.3 - (c[1] === 2 ? 0.9 * c[2]! : 0);
const LOGITS = [
  [0.2, -0.5],
  [0.4, -0.3, 0.1],
  [-0.8, 0.6],
];
const paths = (): number[][] =>
  COUNTS.reduce<number[][]>(
    (ps, k) => ps.flatMap((p) => Array.from({ length: k }, (_, c) => [...p, c])),
    [[]],
  );
const pathProb = (probs: number[][], c: readonly number[]) => c.reduce((w, k, n) => w * probs[n]![k]!, 1);
const expected = (logits: number[][]) => {
  const probs = logits.map(softmax);
  return paths().reduce((s, c) => s + pathProb(probs, c) * loss(c), 0);
};

describe('localExpectationAt', () => {
  it('is unbiased: its expectation over paths drawn from p is the gradient of E[L] (finite differences)', () => {
    const probs = LOGITS.map(softmax);
    const mean = LOGITS.map((a) => a.map(() => 0));
    for (const c of paths()) {
      const g = localExpectationAt(probs, c, loss).grads;
      g.forEach((row, n) => {
        row.forEach((x, j) => {
          mean[n]![j]! += pathProb(probs, c) * x;
        });
      });
    }
    const h = 1e-6;
    LOGITS.forEach((a, n) => {
      a.forEach((_, j) => {
        const at = (d: number) =>
          expected(LOGITS.map((b, m) => (m === n ? b.map((x, i) => (i === j ? x + d : x)) : b)));
        expect(mean[n]![j]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 7);
      });
    });
  });

  it('evaluates the sampled path once and each other candidate of each node once', () => {
    const probs = LOGITS.map(softmax);
    const seen: string[] = [];
    const r = localExpectationAt(probs, [1, 2, 0], (c) => {
      seen.push(c.join(''));
      return loss(c);
    });
    // 1 + (2-1) + (3-1) + (2-1) evaluations.
    expect(seen).toEqual(['120', '020', '100', '110', '121']);
    expect(r.loss).toBe(loss([1, 2, 0]));
    expect(r.losses).toEqual([
      [loss([0, 2, 0]), loss([1, 2, 0])],
      [loss([1, 0, 0]), loss([1, 1, 0]), loss([1, 2, 0])],
      [loss([1, 2, 0]), loss([1, 2, 1])],
    ]);
    // Per node: p_j (L_j - sum_i p_i L_i), which sums to 0 over the node's logits.
    const p1 = probs[1]!;
    const m1 = p1.reduce((s, q, i) => s + q * r.losses[1]![i]!, 0);
    expect(r.grads[1]![2]).toBeCloseTo(p1[2]! * (r.losses[1]![2]! - m1), 12);
    for (const g of r.grads) expect(g.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 12);
  });

  it('names bad input', () => {
    const probs = LOGITS.map(softmax);
    expect(() => localExpectationAt(probs, [0, 3, 0], loss)).toThrow(
      /choices \[0, 3, 0\] do not fit 3 nodes of \[2, 3, 2\]/,
    );
    expect(() => localExpectationAt([[0.5, 0.6]], [0], loss)).toThrow(/probs\[0\] sums to 1.1/);
    expect(() => localExpectationAt([[1.5, -0.5]], [0], loss)).toThrow(/probs\[0\]\[1\] is -0.5/);
  });
});

describe('localExpectationGradient', () => {
  it('samples the path from p (N = 20000, 5 sigma) and is deterministic for a seed', () => {
    const probs = [
      [0.8, 0.2],
      [0, 0.3, 0.7],
    ];
    const rng = createRng(3);
    const n = 20_000;
    const first = [0, 0];
    const second = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const c = localExpectationGradient(probs, rng, () => 0).choices;
      first[c[0]!]!++;
      second[c[1]!]!++;
    }
    expect(second[0]).toBe(0);
    expect(Math.abs(first[0]! / n - 0.8)).toBeLessThan(5 * Math.sqrt(0.16 / n));
    expect(Math.abs(second[2]! / n - 0.7)).toBeLessThan(5 * Math.sqrt(0.21 / n));
    const a = localExpectationGradient(probs, createRng(9), (c) => c[0]! + 2 * c[1]!);
    const b = localExpectationGradient(probs, createRng(9), (c) => c[0]! + 2 * c[1]!);
    expect(a).toEqual(b);
    expect(() => localExpectationGradient(probs, undefined as never, () => 0)).toThrow(/rng must be an Rng/);
  });
});
