import { describe, expect, it } from 'vitest';
import { GaussianNoise, gaussianRandom } from './random';

describe('GaussianNoise', () => {
  it('draws the stream of gaussianRandom, scaled and rounded to float, across odd block sizes', () => {
    for (const seed of [0, 1, 0x9e3779b9, 0xffffffff]) {
      const g = gaussianRandom(seed);
      const noise = new GaussianNoise(seed);
      const out = new Float32Array(400);
      // odd sizes leave a spare normal draw between blocks, as frames of 25 ms at 8 kHz (200) do not
      for (const n of [399, 1, 400, 3, 2, 257]) {
        noise.fillScaled(out, n, 0.5);
        const want = Array.from({ length: n }, () => Math.fround(0.5 * Math.fround(g())));
        expect([...out.subarray(0, n)]).toEqual(want);
      }
    }
  });

  it('is a standard normal stream (mean 0, variance 1 within sampling error)', () => {
    const n = 200000;
    const out = new Float32Array(n);
    new GaussianNoise(5).fillScaled(out, n, 1);
    let s = 0;
    let s2 = 0;
    for (const x of out) {
      s += x;
      s2 += x * x;
    }
    // standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.015);
  });
});
