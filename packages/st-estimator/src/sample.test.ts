import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { sampleCategorical, sampleGumbel, sampleUniform } from './sample';

describe('sampling', () => {
  it('sampleCategorical from logits follows softmax (N = 40000, 5 sigma)', () => {
    const logits = [1, 0, -1, 2];
    const z = logits.reduce((s, a) => s + Math.exp(a), 0);
    const p = logits.map((a) => Math.exp(a) / z);
    const rng = createRng(5);
    const n = 40_000;
    const counts = [0, 0, 0, 0];
    const t = tf.tensor1d(logits);
    for (let i = 0; i < n; i++) counts[sampleCategorical(i % 2 ? t : logits, rng)]!++;
    counts.forEach((c, i) => {
      expect(Math.abs(c / n - p[i]!)).toBeLessThan(5 * Math.sqrt((p[i]! * (1 - p[i]!)) / n));
    });
  });

  it('sampleCategorical from probs normalises and never picks a zero-probability candidate', () => {
    const rng = createRng(6);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[sampleCategorical([2, 0, 6], rng, { from: 'probs' })]!++;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[0]! / 30_000 - 0.25)).toBeLessThan(5 * Math.sqrt(0.1875 / 30_000));
  });

  it('is deterministic for a seed and names bad input', () => {
    const a = Array.from(
      { length: 20 },
      (
        (r) => () =>
          sampleCategorical([0, 1, 2], r)
      )(createRng(9)),
    );
    const b = Array.from(
      { length: 20 },
      (
        (r) => () =>
          sampleCategorical([0, 1, 2], r)
      )(createRng(9)),
    );
    expect(a).toEqual(b);
    const rng = createRng(1);
    expect(() => sampleCategorical([], rng)).toThrow(/sampleCategorical: logits is empty/);
    expect(() => sampleCategorical([0, Number.NaN], rng)).toThrow(/logits\[1\] is NaN/);
    expect(() => sampleCategorical([1, -1], rng, { from: 'probs' })).toThrow(
      /probs\[1\] is -1; expected >= 0/,
    );
    expect(() => sampleCategorical([0, 0], rng, { from: 'probs' })).toThrow(/sum to 0/);
    expect(() => sampleCategorical(tf.zeros([2, 2]), rng)).toThrow(/must be rank 1/);
    expect(() => sampleUniform(0, rng)).toThrow(/sampleUniform: k must be a positive integer/);
  });

  it('sampleUniform is uniform over [0, k)', () => {
    const rng = createRng(7);
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 25_000; i++) counts[sampleUniform(5, rng)]!++;
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(5 * Math.sqrt(25_000 * 0.2 * 0.8));
  });

  it('sampleGumbel has the Gumbel mean (Euler-Mascheroni) and variance pi^2/6', () => {
    const g = sampleGumbel(200_000, createRng(8));
    const mean = g.reduce((s, v) => s + v, 0) / g.length;
    const variance = g.reduce((s, v) => s + (v - mean) ** 2, 0) / g.length;
    expect(Math.abs(mean - 0.5772156649)).toBeLessThan(0.01);
    expect(Math.abs(variance - Math.PI ** 2 / 6)).toBeLessThan(0.03);
  });
});
