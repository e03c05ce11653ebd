import { describe, expect, it } from 'vitest';
import { createPowerSpectrum } from './fft';

/** |DFT|² straight from the definition, in double. */
function naivePower(x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(Math.floor(n / 2) + 1);
  for (let k = 0; k < out.length; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
      im -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

function randomFrame(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.fround(s / 2147483648 - 0.5) * 1000;
  });
}

describe('createPowerSpectrum', () => {
  for (const [n, exact] of [
    [512, false],
    [64, false],
    [400, false],
    [301, false],
    [512, true],
    [256, true],
  ] as const) {
    it(`matches the DFT definition for n = ${n}${exact ? ' (Kaldi float32 replica)' : ''}`, () => {
      const x = randomFrame(n, n);
      const want = naivePower(x);
      const got = new Float64Array(want.length);
      createPowerSpectrum(n, exact).compute(x, got);
      const peak = Math.max(...want);
      // float32 noise scales with the frame's peak power, double rounding is far below it
      const atol = peak * (exact ? 1e-6 : 1e-12);
      expect(got).toBeAllclose(want, { rtol: exact ? 1e-5 : 1e-9, atol });
    });
  }

  it('rejects sizes below 2', () => {
    expect(() => createPowerSpectrum(1)).toThrow(/frame length 1 must be an integer >= 2/);
  });
});
