import { describe, expect, it } from 'vitest';
import { constantTemperature, exponentialTemperature, linearTemperature } from './temperature';

describe('temperature schedules', () => {
  it('constant, linear and exponential annealing hit their closed forms', () => {
    expect(constantTemperature(2)(0)).toBe(2);
    expect(constantTemperature(2)(1e6)).toBe(2);
    const lin = linearTemperature(5, 1, 100);
    expect([lin(0), lin(25), lin(100), lin(500)]).toEqual([5, 4, 1, 1]);
    // GDAS anneals 10 -> 0.1 geometrically: halfway is sqrt(10 * 0.1) = 1.
    const exp = exponentialTemperature(10, 0.1, 240);
    expect(exp(0)).toBe(10);
    expect(exp(120)).toBeCloseTo(1, 12);
    expect(exp(240)).toBeCloseTo(0.1, 12);
    expect(exp(1000)).toBeCloseTo(0.1, 12);
    expect(exp(60)).toBeCloseTo(10 ** 0.5, 12);
  });

  it('rejects bad parameters and steps', () => {
    expect(() => linearTemperature(0, 1, 10)).toThrow(/linearTemperature: from must be a finite number > 0/);
    expect(() => exponentialTemperature(1, 1, 0)).toThrow(/steps must be/);
    expect(() => constantTemperature(1)(-1)).toThrow(/step must be a finite number >= 0/);
  });
});
