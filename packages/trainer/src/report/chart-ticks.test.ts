import { describe, expect, it } from 'vitest';
import { axisTicks, niceStep } from './chart-ticks';

describe('niceStep', () => {
  it('picks 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(0, 93, 5)).toBe(20);
    expect(niceStep(0, 93, 4)).toBe(50);
    expect(niceStep(1, 93, 5)).toBe(20);
    expect(niceStep(0, 10, 6)).toBe(2);
    expect(niceStep(0, 1, 6)).toBe(0.2);
    expect(niceStep(0, 0.9, 4)).toBe(0.5);
  });
});

describe('axisTicks', () => {
  it('gives integer step ticks where evenly spaced fractions gave 23.25', () => {
    // The old axis: 0, 23.25, 46.5, 69.75, 93.
    expect(axisTicks(0, 93, { integer: true })).toEqual([0, 20, 40, 60, 80]);
    expect(axisTicks(1, 93, { integer: true, maxTicks: 5 })).toEqual([20, 40, 60, 80]);
  });

  it('never ticks between integers, even on a short axis', () => {
    expect(axisTicks(1, 3, { integer: true })).toEqual([1, 2, 3]);
    expect(axisTicks(1, 2, { integer: true })).toEqual([1, 2]);
    expect(axisTicks(4, 4, { integer: true })).toEqual([4]);
    for (const t of axisTicks(0, 7, { integer: true, maxTicks: 20 })) expect(Number.isInteger(t)).toBe(true);
  });

  it('gives round values on a continuous axis', () => {
    expect(axisTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axisTicks(17.4, 102.7)).toEqual([20, 40, 60, 80, 100]);
  });

  it('is empty for an empty or invalid range', () => {
    expect(axisTicks(Number.NaN, 1)).toEqual([]);
    expect(axisTicks(2, 1)).toEqual([]);
  });
});
