import { describe, expect, it } from 'vitest';
import { pairedBootstrap } from './paired-bootstrap';

const o = { samples: 2000, seed: 3 };

describe('pairedBootstrap', () => {
  it('gives a zero difference and a zero-width interval for identical systems', () => {
    const e = [1, 0, 3, 2, 5];
    expect(pairedBootstrap(e, e, [10, 10, 10, 10, 10], o)).toEqual({ diff: 0, ci95: [0, 0], pImprove: 0 });
  });

  it('puts the whole interval below zero when a makes fewer errors on every utterance', () => {
    const refs = Array.from({ length: 50 }, (_, u) => 10 + (u % 7));
    const b = refs.map((_, u) => (u % 5) + 2);
    const a = b.map((x) => x - 1);
    const r = pairedBootstrap(a, b, refs, o);
    expect(r.diff).toBeCloseTo(-50 / refs.reduce((s, x) => s + x, 0), 12);
    expect(r.ci95[1]).toBeLessThan(0);
    expect(r.ci95[0]).toBeLessThanOrEqual(r.diff);
    expect(r.pImprove).toBe(1);
  });

  it('matches the normal approximation of the paired difference on many utterances', () => {
    // d_u in {-1, +1} with equal refs: the diff's sd over resamples is sd(d) / (sqrt(n) * ref).
    const n = 400;
    const refs = Array(n).fill(20);
    const a = Array.from({ length: n }, (_, u) => (u % 2 ? 3 : 1));
    const b = Array(n).fill(2);
    const r = pairedBootstrap(a, b, refs, { samples: 4000, seed: 1 });
    const half = (1.96 * 1) / (Math.sqrt(n) * 20);
    expect(r.diff).toBe(0);
    expect(r.ci95[0]).toBeCloseTo(-half, 2);
    expect(r.ci95[1]).toBeCloseTo(half, 2);
    expect(r.pImprove).toBeGreaterThan(0.4);
    expect(r.pImprove).toBeLessThan(0.6);
  });

  it('is deterministic given the seed and changes with it', () => {
    const refs = [5, 8, 13, 4, 9, 11];
    const a = [1, 2, 4, 0, 3, 2];
    const b = [2, 1, 5, 1, 3, 4];
    expect(pairedBootstrap(a, b, refs, o)).toEqual(pairedBootstrap(a, b, refs, o));
    expect(pairedBootstrap(a, b, refs, o).ci95).not.toEqual(
      pairedBootstrap(a, b, refs, { ...o, seed: 4 }).ci95,
    );
  });

  it('rejects lists of different lengths', () => {
    expect(() => pairedBootstrap([1], [1, 2], [3, 3], o)).toThrow('errorsA (1), errorsB (2) and refs (2)');
  });
});
