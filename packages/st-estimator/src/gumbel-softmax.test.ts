import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gumbelSoftmax } from './gumbel-softmax';
import { createRng } from './rng';

describe('gumbelSoftmax', () => {
  const logits = tf.tensor1d([0.3, -1.2, 0.8, 0.1]);

  it('equals softmax((logits + G) / tau) for the given noise', () => {
    const noise = new Float32Array([0.1, -0.5, 1.2, 0.3]);
    const y = gumbelSoftmax(logits, { tau: 0.7, noise });
    const a = [0.3, -1.2, 0.8, 0.1].map((v, i) => (v + noise[i]!) / 0.7);
    const z = a.reduce((s, v) => s + Math.exp(v), 0);
    expect(y).toBeAllclose(
      a.map((v) => Math.exp(v) / z),
      { rtol: 1e-5 },
    );
  });

  it('tends to one-hot as tau -> 0, and its argmax follows softmax(logits) (Gumbel-max)', () => {
    const rng = createRng(11);
    const n = 4000;
    const counts = [0, 0, 0, 0];
    let minMax = 1;
    for (let i = 0; i < n; i++) {
      const y = tf.tidy(() => gumbelSoftmax(logits, { tau: 1e-3, rng }).dataSync());
      const m = Math.max(...y);
      minMax = Math.min(minMax, m);
      counts[y.indexOf(m)]!++;
    }
    // With tau = 1e-3 the largest weight is 1 - exp(-gap / tau): one-hot up to float rounding
    // unless two perturbed logits fall within ~0.01 of each other (rare).
    expect(minMax).toBeGreaterThan(0.5);
    const p = tf.softmax(logits).dataSync();
    counts.forEach((c, i) => {
      expect(Math.abs(c / n - p[i]!)).toBeLessThan(5 * Math.sqrt((p[i]! * (1 - p[i]!)) / n));
    });
    const soft = [10, 1, 0.1, 0.01].map((tau) =>
      Math.max(...gumbelSoftmax(logits, { tau, rng: createRng(3) }).dataSync()),
    );
    for (let i = 1; i < soft.length; i++) expect(soft[i]!).toBeGreaterThanOrEqual(soft[i - 1]!);
    expect(soft[3]!).toBeGreaterThan(0.99);
  });

  it('hard gives an exact one-hot forward and the soft gradient', () => {
    const noise = new Float32Array([0.4, 0.2, -0.3, 0.9]);
    const hard = gumbelSoftmax(logits, { tau: 0.5, hard: true, noise });
    expect(Array.from(hard.dataSync())).toEqual([0, 0, 0, 1]);
    const dy = tf.tensor1d([0.5, -1, 2, 0.25]);
    const gHard = tf.grad((a: tf.Tensor) => gumbelSoftmax(a, { tau: 0.5, hard: true, noise }))(logits, dy);
    const gSoft = tf.grad((a: tf.Tensor) => gumbelSoftmax(a, { tau: 0.5, noise }))(logits, dy);
    expect(gHard).toBeAllclose(gSoft, { rtol: 1e-6 });
    expect(Math.max(...gSoft.abs().dataSync())).toBeGreaterThan(1e-3);
  });

  it('works on a batch of rows, is seeded, and names bad input', () => {
    const rows = tf.randomNormal([3, 5], 0, 1, 'float32', 2);
    const h = gumbelSoftmax(rows, { hard: true, rng: createRng(4) });
    expect(h.shape).toEqual([3, 5]);
    expect(Array.from(tf.sum(h, 1).dataSync())).toEqual([1, 1, 1]);
    expect(gumbelSoftmax(rows, { rng: createRng(4) }).dataSync()).toEqual(
      gumbelSoftmax(rows, { rng: createRng(4) }).dataSync(),
    );
    expect(() => gumbelSoftmax(logits, {})).toThrow(/pass options.rng/);
    expect(() => gumbelSoftmax(logits, { tau: 0, rng: createRng(1) })).toThrow(
      /tau must be a finite number > 0/,
    );
    expect(() => gumbelSoftmax(logits, { noise: new Float32Array(3) })).toThrow(
      /noise has 3 values; expected 4/,
    );
  });
});
