import { describe, expect, it } from 'vitest';
import { glibcCosf, glibcSinf } from './glibc-sincosf';

// Values printed by glibc 2.36 libm through ctypes (`libm.cosf(c_float(x))`) for the FFT twiddle
// angles x = float(k · 2π / m) (sinf for the first three); in these cases glibc differs from the correctly rounded result.
describe('glibc sinf/cosf replica', () => {
  it('reproduces glibc where it is not correctly rounded', () => {
    const at = (k: number, m: number) => Math.fround((k * 2 * Math.PI) / m);
    expect(glibcSinf(at(3, 64))).toBe(0.2902846932411194);
    expect(Math.fround(Math.sin(at(3, 64)))).toBe(0.290284663438797); // the correctly rounded value differs
    expect(glibcSinf(at(11, 128))).toBe(0.5141026973724365);
    expect(glibcSinf(at(23, 256))).toBe(0.5349975824356079);
    expect(glibcCosf(at(43, 256))).toBe(0.492898166179657);
    expect(glibcCosf(at(55, 256))).toBe(0.21910123527050018);
  });

  it('agrees with Math.sin/cos to float precision over the FFT range', () => {
    for (let x = -4.7; x < 4.8; x += 0.01) {
      const xf = Math.fround(x);
      expect(Math.abs(glibcSinf(xf) - Math.sin(xf))).toBeLessThan(1.2e-7);
      expect(Math.abs(glibcCosf(xf) - Math.cos(xf))).toBeLessThan(1.2e-7);
    }
    expect(() => glibcCosf(200)).toThrow(/outside the replicated range/);
  });
});
