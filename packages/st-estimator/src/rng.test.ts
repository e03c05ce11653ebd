import { describe, expect, it } from 'vitest';
import { createRng } from './rng';

describe('createRng', () => {
  it('matches the xoshiro128** reference outputs for state {1, 2, 3, 4}', () => {
    // First three outputs of the reference C code (prng.di.unimi.it/xoshiro128starstar.c) from
    // s = {1, 2, 3, 4}, worked by hand: rotl(2*5, 7)*9 = 11520, then 0, then rotl(1029*5, 7)*9.
    const rng = createRng(0);
    rng.setState({ s: [1, 2, 3, 4] });
    expect([rng.next(), rng.next(), rng.next()].map((u) => u * 2 ** 32)).toEqual([11520, 0, 5927040]);
  });

  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    expect(createRng(0.5).next()).not.toEqual(createRng(0).next());
  });

  it('resumes the same stream from a saved, JSON round-tripped state', () => {
    const a = createRng(7);
    for (let i = 0; i < 37; i++) a.next();
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from({ length: 50 }, () => a.nextInt(1000));
    const b = createRng(123);
    b.setState(saved);
    expect(Array.from({ length: 50 }, () => b.nextInt(1000))).toEqual(expected);
  });

  it('is uniform: mean, variance and nextInt frequencies within 5 sigma', () => {
    const rng = createRng(1);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
      counts[rng.nextInt(7)]!++;
    }
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - (s * s) / n / n - 1 / 12)).toBeLessThan(0.002);
    for (const c of counts) expect(Math.abs(c - n / 7)).toBeLessThan(5 * Math.sqrt((n * (1 / 7) * 6) / 7));
  });

  it('rejects bad seeds, bad n and bad states with clear errors', () => {
    expect(() => createRng(Number.NaN)).toThrow(/seed must be a finite number/);
    const rng = createRng(1);
    expect(() => rng.nextInt(0)).toThrow(/nextInt: n must be an integer/);
    expect(() => rng.nextInt(2.5)).toThrow(/nextInt/);
    expect(() => rng.setState({ s: [0, 0, 0, 0] })).toThrow(/not all zero/);
    expect(() => rng.setState({ s: [1, 2, 3] } as never)).toThrow(/setState/);
    expect(() => rng.setState({ s: [1, 2, 3, -1] })).toThrow(/setState/);
  });
});
