import { describe, expect, it } from 'vitest';
import { formatG } from './format-float.ts';

// Expected strings are what C's printf("%.7g") prints (glibc; exact binary value, ties to even).
describe('formatG (%.7g)', () => {
  it.each([
    [1.25, '1.25'],
    [0, '0'],
    [-0.007552397, '-0.007552397'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1234567, '1234567'],
    [12345678, '1.234568e+07'],
    [1234567.5, '1234568'], // exact tie, 7 is odd: up
    [1234568.5, '1234568'], // exact tie, 8 is even: stays (JS toPrecision would say 1234569)
    [-2.5e-300, '-2.5e-300'],
    [9999999.5, '1e+07'],
    [Math.fround(0.1), '0.1'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NaN, 'nan'],
  ])('%s -> %s', (x, s) => {
    expect(formatG(x)).toBe(s);
  });
});
