import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { binaryGates } from './binary-gates';
import { createEstimator } from './create-estimator';
import { createRng } from './rng';
import type { EstimatorName } from './types';

/** sum_i g_i s_i (delta_ij - s_j) / tau over `set`, in float64: the softmax chain rule. */
function softmaxChain(z: number[], g: number[], set: number[], tau = 1): number[] {
  const m = Math.max(...set.map((i) => z[i]!));
  const e = set.map((i) => Math.exp(z[i]! - m));
  const s = e.map((v) => v / e.reduce((a, b) => a + b, 0));
  const out = new Array<number>(z.length).fill(0);
  set.forEach((j, jj) => {
    out[j] = set.reduce((acc, i, ii) => acc + g[i]! * s[ii]! * ((ii === jj ? 1 : 0) - s[jj]!), 0) / tau;
  });
  return out;
}

const K = 4;
const logitsValues = [0.2, -0.4, 0.9, 0.0];
const outs = Array.from({ length: K }, (_, i) => tf.randomNormal([3, 2], 0, 1, 'float32', 60 + i));
const dy = tf.randomNormal([3, 2], 0, 1, 'float32', 70);
const g = outs.map((o) => tf.sum(tf.mul(o, dy)).dataSync()[0]!);

function runMix(name: EstimatorName, seed: number, options = {}) {
  const logits = tf.tensor1d(logitsValues);
  const est = createEstimator(name, options);
  const plan = est.plan(logits, createRng(seed), 3);
  const given = outs.map((o, i) => (plan.run.includes(i) ? o : undefined));
  const y = est.mix(plan, given);
  const dA = tf.grad((a: tf.Tensor) => est.mix({ ...plan, archLogits: a as tf.Tensor1D }, given))(logits, dy);
  return { plan, y, dA: Array.from(dA.dataSync()) };
}

describe('createEstimator', () => {
  it('st: all K run, one trains, forward = sampled output, logits get the ST closed form', () => {
    const { plan, y, dA } = runMix('st', 1);
    expect(plan.run).toEqual([0, 1, 2, 3]);
    expect(plan.train).toEqual([plan.index]);
    expect([...plan.detach, plan.index].sort()).toEqual([0, 1, 2, 3]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(outs[plan.index]!.dataSync()));
    expect(dA).toBeAllclose(softmaxChain(logitsValues, g, [0, 1, 2, 3]), { rtol: 1e-4, atol: 1e-6 });
  });

  it('gdas: one path, exact one-hot forward, soft Gumbel gradient through that path', () => {
    const tau = (step: number) => 2 / (1 + step); // tau = 0.5 at step 3
    const { plan, y, dA } = runMix('gdas', 2, { tau });
    expect(plan.run).toEqual([plan.index]);
    expect(plan.train).toEqual([plan.index]);
    expect(plan.detach).toEqual([]);
    expect(plan.tau).toBe(0.5);
    const z = logitsValues.map((a, i) => (a + plan.noise![i]!) / 0.5);
    expect(plan.index).toBe(z.indexOf(Math.max(...z)));
    expect(Array.from(y.dataSync())).toEqual(Array.from(outs[plan.index]!.dataSync()));
    // Only g_index enters: dL/da = (1/tau) g_k s_k (delta_kj - s_j).
    const gk = g.map((v, i) => (i === plan.index ? v : 0));
    expect(dA).toBeAllclose(
      softmaxChain(
        z.map((v) => v),
        gk,
        [0, 1, 2, 3],
        0.5,
      ),
      { rtol: 1e-4, atol: 1e-6 },
    );
  });

  it('snas and darts: all paths, soft weights, softmax chain rule', () => {
    const snas = runMix('snas', 3, { tau: 0.8 });
    expect(snas.plan.run).toEqual([0, 1, 2, 3]);
    expect(snas.plan.train).toEqual([0, 1, 2, 3]);
    const z = logitsValues.map((a, i) => (a + snas.plan.noise![i]!) / 0.8);
    expect(snas.dA).toBeAllclose(softmaxChain(z, g, [0, 1, 2, 3], 0.8), { rtol: 1e-4, atol: 1e-6 });
    const darts = runMix('darts', 4);
    expect(darts.plan.index).toBe(2);
    expect(darts.dA).toBeAllclose(softmaxChain(logitsValues, g, [0, 1, 2, 3]), { rtol: 1e-4, atol: 1e-6 });
    const p = tf.softmax(tf.tensor1d(logitsValues)).dataSync();
    const expected = tf.addN(outs.map((o, i) => tf.mul(o, p[i]!)));
    expect(darts.y).toBeAllclose(expected, { rtol: 1e-5, atol: 1e-6 });
  });

  it('spos: uniform single path and no arch gradient', () => {
    const counts = [0, 0, 0, 0];
    const est = createEstimator('spos');
    const rng = createRng(5);
    const logits = tf.tensor1d([5, 0, 0, 0]);
    for (let i = 0; i < 8000; i++) counts[est.plan(logits, rng).index]!++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(5 * Math.sqrt(8000 * 0.25 * 0.75));
    const plan = est.plan(logits, rng);
    expect(plan.run).toEqual([plan.index]);
    expect(Array.from(est.mix(plan, outs).dataSync())).toEqual(Array.from(outs[plan.index]!.dataSync()));
    expect(() =>
      tf.grad((a: tf.Tensor) => est.mix({ ...plan, archLogits: a as tf.Tensor1D }, outs))(logits),
    ).toThrow(/Cannot compute gradient/);
  });

  it('proxyless (2 paths): two candidates run, one trains, gradient only on the pair', () => {
    const { plan, y, dA } = runMix('proxyless', 6, { paths: 2 });
    expect(plan.run.length).toBe(2);
    expect(plan.train).toEqual([plan.index]);
    expect(plan.run).toContain(plan.index);
    expect(Array.from(y.dataSync())).toEqual(Array.from(outs[plan.index]!.dataSync()));
    expect(dA).toBeAllclose(softmaxChain(logitsValues, g, [...plan.run]), { rtol: 1e-4, atol: 1e-6 });
    const one = runMix('proxyless', 6, { paths: 1 });
    expect(one.plan.run).toEqual([0, 1, 2, 3]);
    expect(one.dA).toBeAllclose(softmaxChain(logitsValues, g, [0, 1, 2, 3]), { rtol: 1e-4, atol: 1e-6 });
  });

  it('binaryGates returns one-hot gates; its active index follows softmax(logits) (5 sigma)', () => {
    const logits = tf.tensor1d(logitsValues);
    const p = tf.softmax(logits).dataSync();
    for (const paths of [1, 2] as const) {
      const rng = createRng(7);
      const counts = [0, 0, 0, 0];
      const n = 6000;
      for (let i = 0; i < n; i++) {
        const s = binaryGates(logits, rng, { paths });
        const gates = s.gates.dataSync();
        expect(Array.from(gates)).toEqual([0, 1, 2, 3].map((j) => (j === s.index ? 1 : 0)));
        s.gates.dispose();
        counts[s.index]!++;
      }
      // Two-path mode: P(active = i) = sum_j P(pair {i, j}) q_i; for one path it is p_i.
      const expected =
        paths === 1
          ? Array.from(p)
          : [0, 1, 2, 3].map((i) =>
              [0, 1, 2, 3].reduce((acc, j) => {
                if (j === i) return acc;
                const pair = p[i]! * (p[j]! / (1 - p[i]!)) + p[j]! * (p[i]! / (1 - p[j]!));
                return acc + pair * (p[i]! / (p[i]! + p[j]!));
              }, 0),
            );
      counts.forEach((c, i) => {
        expect(Math.abs(c / n - expected[i]!)).toBeLessThan(
          5 * Math.sqrt((expected[i]! * (1 - expected[i]!)) / n),
        );
      });
    }
  });

  it('plans are seeded: same seed, same plans; restored rng state, same continuation', () => {
    const logits = tf.tensor1d(logitsValues);
    for (const name of ['st', 'gdas', 'snas', 'spos', 'proxyless'] as const) {
      const est = createEstimator(name);
      const a = createRng(8);
      const b = createRng(8);
      const pa = Array.from({ length: 10 }, () => est.plan(logits, a));
      const pb = Array.from({ length: 10 }, () => est.plan(logits, b));
      expect(pb.map((p) => [p.index, ...(p.noise ?? [])])).toEqual(
        pa.map((p) => [p.index, ...(p.noise ?? [])]),
      );
      const saved = a.getState();
      const next = est.plan(logits, a);
      b.setState(saved);
      expect(est.plan(logits, b)).toEqual(next);
    }
  });

  it('leaks no tensors across repeated plan + mix + grad', () => {
    const logits = tf.tensor1d(logitsValues);
    for (const name of ['st', 'gdas', 'snas', 'darts', 'spos', 'proxyless'] as const) {
      const est = createEstimator(name);
      const rng = createRng(9);
      const step = () =>
        tf.tidy(() => {
          const plan = est.plan(logits, rng);
          const given = outs.map((o, i) => (plan.run.includes(i) ? o : undefined));
          return tf.grads((o: tf.Tensor) =>
            est.mix(
              plan,
              given.map((t, i) => (i === plan.index ? o : t)),
            ),
          )([outs[plan.index]!]);
        });
      tf.dispose(step());
      const n = tf.memory().numTensors;
      for (let i = 0; i < 10; i++) tf.dispose(step());
      expect(tf.memory().numTensors, name).toBe(n);
    }
  });

  it('names bad input clearly', () => {
    const logits = tf.tensor1d(logitsValues);
    expect(() => createEstimator('foo' as EstimatorName)).toThrow(
      /unknown estimator 'foo'; expected one of st, gdas/,
    );
    expect(() => createEstimator('gdas', { tau: -1 })).toThrow(/options.tau must be/);
    expect(() => createEstimator('proxyless', { paths: 3 as 1 })).toThrow(/options.paths must be 1 or 2/);
    expect(() => createEstimator('gdas', { tau: () => 0 }).plan(logits, createRng(1), 7)).toThrow(
      /temperature at step 7 is 0/,
    );
    const st = createEstimator('st');
    const plan = st.plan(logits, createRng(1));
    expect(() => st.mix(plan, [outs[0], outs[1], undefined, outs[3]])).toThrow(
      /st.mix: outputs\[2\] is missing/,
    );
    expect(() => st.plan(tf.zeros([2, 2]) as never, createRng(1))).toThrow(
      /st.plan: archLogits must be a Tensor1D/,
    );
    expect(() => st.plan(logits, {} as never)).toThrow(/rng must be an Rng/);
    const snas = createEstimator('snas');
    const sp = snas.plan(logits, createRng(1));
    expect(() => snas.mix({ ...sp, noise: undefined }, outs)).toThrow(
      /plan.noise must hold 4 Gumbel samples/,
    );
  });
});
