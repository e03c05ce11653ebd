import { describe, expect, it } from 'vitest';
import { resample } from './resample';

const sine = (n: number, rate: number, hz: number, phase = 0) =>
  Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate + phase));

function rms(x: ArrayLike<number>, from: number, to: number) {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (to - from));
}

describe('resample', () => {
  it('22050 -> 16000 reproduces an in-band sine (closed form) to 1e-4 away from the edges', () => {
    const y = resample(sine(22050, 22050, 1000, 0.3), 22050, 16000);
    expect(y.length).toBe(16000);
    const want = sine(16000, 16000, 1000, 0.3);
    expect(y.subarray(200, 15800)).toBeAllclose(want.subarray(200, 15800), { atol: 1e-4, rtol: 0 });
  });

  it('removes a tone above the new Nyquist frequency (alias < -70 dB)', () => {
    const y = resample(sine(22050, 22050, 9000), 22050, 16000);
    expect(20 * Math.log10(rms(y, 200, 15800) / Math.SQRT1_2)).toBeLessThan(-70);
  });

  it('upsamples 16000 -> 17600 (speed perturbation 1.1) keeping a 3 kHz tone', () => {
    const y = resample(sine(16000, 16000, 3000), 16000, 17600);
    expect(y.length).toBe(17600);
    const want = sine(17600, 17600, 3000);
    expect(y.subarray(300, 17300)).toBeAllclose(want.subarray(300, 17300), { atol: 1e-4, rtol: 0 });
  });

  it('has unit DC gain, odd-length output ceil(n q / p), and copies at equal rates', () => {
    const y = resample(new Float32Array(1001).fill(5), 22050, 16000);
    expect(y.length).toBe(Math.ceil((1001 * 320) / 441));
    expect(y.subarray(100, 600)).toBeAllclose(new Float32Array(500).fill(5), { atol: 1e-4 });
    expect(resample([1, 2, 3], 8000, 8000)).toEqual(Float32Array.from([1, 2, 3]));
  });

  it('rejects non-integer rates', () => {
    expect(() => resample([1], 22050.5, 16000)).toThrow(/fromRate must be a positive integer/);
  });
});
