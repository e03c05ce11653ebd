import { describe, expect, it } from 'vitest';
import { perturbSpeed } from './perturb-speed';

const RATE = 16000;

/** 0.25 s of silence, `seconds` of a sine at `hz` with amplitude 1, 0.25 s of silence. */
function toneBurst(hz: number, seconds: number): Float64Array {
  const pad = RATE / 4;
  const n = Math.round(seconds * RATE);
  const x = new Float64Array(n + 2 * pad);
  for (let i = 0; i < n; i++) x[pad + i] = Math.sin((2 * Math.PI * hz * i) / RATE);
  return x;
}

/** Frequency from the first and last upward zero crossings (linearly interpolated) in [from, to). */
function measureFrequency(y: ArrayLike<number>, from: number, to: number): number {
  const ups: number[] = [];
  for (let i = from; i + 1 < to; i++) {
    const a = y[i]!;
    const b = y[i + 1]!;
    if (a < 0 && b >= 0) ups.push(i + a / (a - b));
  }
  return ((ups.length - 1) / (ups.at(-1)! - ups[0]!)) * RATE;
}

/** Samples from the first to the last one whose magnitude reaches `level`. */
function activeSpan(y: ArrayLike<number>, level: number): [number, number] {
  let first = -1;
  let last = -1;
  for (let i = 0; i < y.length; i++) {
    if (Math.abs(y[i]!) >= level) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return [first, last];
}

const rmsDb = (y: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i]! ** 2;
  return 10 * Math.log10(s / (to - from) / 0.5); // relative to a unit-amplitude sine
};

describe('perturbSpeed', () => {
  it('1.1 raises a 1 kHz tone to 1.1 kHz (measured, within 0.05%) and shortens it by 1/1.1', () => {
    const x = toneBurst(1000, 2);
    const y = perturbSpeed(x, 1.1);
    expect(y.length).toBe(Math.ceil(x.length / 1.1));
    const [a, b] = activeSpan(y, 0.5);
    const [xa, xb] = activeSpan(x, 0.5);
    // the burst lasts 2 s / 1.1 in the output, to within a period of the tone
    expect(Math.abs((b - a) / RATE - (xb - xa) / RATE / 1.1)).toBeLessThan(1 / 1100);
    // its onset moved from 0.25 s to 0.25 / 1.1 s
    expect(Math.abs(a / RATE - xa / RATE / 1.1)).toBeLessThan(1 / 1100);
    const f = measureFrequency(y, a + 200, b - 200);
    expect(Math.abs(f / 1100 - 1)).toBeLessThan(5e-4);
    // amplitude is kept: an in-band tone passes at unit gain
    expect(Math.abs(rmsDb(y, a + 400, b - 400))).toBeLessThan(0.01);
  });

  it('0.9 lowers a 3 kHz tone to 2.7 kHz and lengthens it by 1/0.9', () => {
    const x = toneBurst(3000, 1);
    const y = perturbSpeed(x, 0.9);
    expect(y.length).toBe(Math.ceil(x.length / 0.9));
    const [a, b] = activeSpan(y, 0.5);
    const [xa, xb] = activeSpan(x, 0.5);
    expect(Math.abs((b - a) / RATE - (xb - xa) / RATE / 0.9)).toBeLessThan(1 / 2700);
    expect(Math.abs(measureFrequency(y, a + 200, b - 200) / 2700 - 1)).toBeLessThan(5e-4);
  });

  it('1.0 is the identity (a copy, bit for bit)', () => {
    const x = Float32Array.from(toneBurst(440, 0.5), (v, i) => v + (i % 7) * 1e-3);
    const y = perturbSpeed(x, 1.0);
    expect(y).not.toBe(x);
    expect(Buffer.from(y.buffer).equals(Buffer.from(x.buffer))).toBe(true);
  });

  it('aliasing: what 1.1 would move above the new 8 kHz Nyquist is cut (>= 20 dB at 8 kHz, >= 80 dB from 8.47 kHz)', () => {
    // a tone at f lands on 1.1 f; without the low-pass it would fold back to 16 kHz - 1.1 f
    const levelAfter = (hz: number) => {
      const x = toneBurst(hz, 1);
      const [xa, xb] = activeSpan(x, 0.5);
      return rmsDb(perturbSpeed(x, 1.1), Math.round(xa / 1.1) + 300, Math.round(xb / 1.1) - 300);
    };
    expect(levelAfter(8000 / 1.1)).toBeLessThan(-20); // lands on the Nyquist frequency
    expect(levelAfter(7600)).toBeLessThan(-60); // lands on 8.36 kHz
    expect(levelAfter(7700)).toBeLessThan(-80); // lands on 8.47 kHz, would alias to 7.53 kHz
    expect(levelAfter(7950)).toBeLessThan(-80);
    // an in-band tone (6 kHz -> 6.6 kHz, under the 0.945 x 8 kHz cutoff) is kept within 0.1 dB
    expect(Math.abs(levelAfter(6000))).toBeLessThan(0.1);
  });

  it('accepts fractional factors such as 0.95 and rejects bad ones naming the argument', () => {
    expect(perturbSpeed(new Float32Array(1900), 0.95).length).toBe(2000);
    expect(() => perturbSpeed([1, 2], 0)).toThrow(/perturbSpeed: factor must be a positive/);
    expect(() => perturbSpeed([1, 2], Number.NaN)).toThrow(/factor must be a positive finite/);
    expect(() => perturbSpeed([1, 2], Math.PI)).toThrow(/not a fraction with a denominator of at most 1000/);
  });
});
