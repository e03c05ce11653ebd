import { describe, expect, it } from 'vitest';
import { argmax, entropy, nodeEntropies } from './node-entropy';

describe('entropy', () => {
  it('is ln K for a uniform node and 0 for a decided one', () => {
    expect(entropy([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(Math.log(4), 12);
    expect(entropy([0, 1, 0, 0])).toBe(0);
  });

  it('matches the closed form for two candidates', () => {
    // H(0.9, 0.1) = -(0.9 ln 0.9 + 0.1 ln 0.1) = 0.325083...
    expect(entropy([0.9, 0.1])).toBeCloseTo(0.3250829733914482, 12);
  });

  it('is computed per node, in node order', () => {
    const h = nodeEntropies([
      [0.5, 0.5],
      [1, 0],
    ]);
    expect(h[0]).toBeCloseTo(Math.log(2), 12);
    expect(h[1]).toBe(0);
  });
});

describe('argmax', () => {
  it('takes the largest p and the first index on ties', () => {
    expect(argmax([0.1, 0.6, 0.3])).toBe(1);
    expect(argmax([0.4, 0.2, 0.4])).toBe(0);
  });
});
