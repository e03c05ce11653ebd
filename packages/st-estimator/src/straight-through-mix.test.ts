import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { detached } from './detached';
import { createRng } from './rng';
import { sampleCategorical } from './sample';
import { straightThroughMix } from './straight-through-mix';

/** Closed form in float64: dL/da_i = sum_j g_j p_j (delta_ij - p_i), g_j = <dy, o_j>. */
function closedForm(logits: number[], outs: Float32Array[], dy: Float32Array): number[] {
  const m = Math.max(...logits);
  const e = logits.map((a) => Math.exp(a - m));
  const z = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / z);
  const g = outs.map((o) => o.reduce((s, v, t) => s + v * dy[t]!, 0));
  return p.map((pi, i) => g.reduce((s, gj, j) => s + gj * p[j]! * ((i === j ? 1 : 0) - pi), 0));
}

function randomSetup(seed: number, k: number, shape: number[]) {
  const logits = tf.randomNormal([k], 0, 1, 'float32', seed) as tf.Tensor1D;
  const outs = Array.from({ length: k }, (_, i) => tf.randomNormal(shape, 0, 1, 'float32', seed + 1 + i));
  const dy = tf.randomNormal(shape, 0, 1, 'float32', seed + 100);
  return { logits, outs, dy };
}

describe('straightThroughMix', () => {
  it('forward value is identical to the sampled output', () => {
    const { logits, outs } = randomSetup(1, 4, [3, 5]);
    for (let index = 0; index < 4; index++) {
      const y = straightThroughMix(logits, index, outs);
      expect(Array.from(y.dataSync())).toEqual(Array.from(outs[index]!.dataSync()));
      expect(y.shape).toEqual([3, 5]);
    }
  });

  it('arch gradient matches the closed form; the sampled output gets dy unchanged', () => {
    for (const [seed, k] of [
      [2, 2],
      [3, 4],
      [4, 7],
    ] as const) {
      const { logits, outs, dy } = randomSetup(seed, k, [2, 6]);
      const index = sampleCategorical(logits, createRng(seed));
      const [dA, dO] = tf.grads((a: tf.Tensor, o: tf.Tensor) =>
        straightThroughMix(
          a as tf.Tensor1D,
          index,
          outs.map((t, i) => (i === index ? o : t)),
        ),
      )([logits, outs[index]!], dy);
      const expected = closedForm(
        Array.from(logits.dataSync()),
        outs.map((o) => o.dataSync() as Float32Array),
        dy.dataSync() as Float32Array,
      );
      expect(dA).toBeAllclose(expected, { rtol: 1e-4, atol: 1e-5 });
      expect(Array.from(dO!.dataSync())).toEqual(Array.from(dy.dataSync()));
    }
  });

  it('equals autodiff of the reference surrogate sum_i (1[i=k] + p_i - sg(p_i)) o_i', () => {
    // thu-spmi/ST-NAS modules/Node.py: the ST output written as a differentiable expression.
    const { logits, outs, dy } = randomSetup(9, 5, [4]);
    const index = 3;
    const pConst = tf.softmax(logits);
    const surrogate = (a: tf.Tensor) => {
      const p = tf.softmax(a);
      const coeff = tf.sub(tf.add(tf.oneHot(tf.tensor1d([index], 'int32'), 5).reshape([5]), p), pConst);
      return tf.addN(outs.map((o, i) => tf.mul(tf.reshape(tf.slice(coeff, [i], [1]), []), o)));
    };
    const ref = tf.grad(surrogate)(logits, dy);
    const ours = tf.grad((a: tf.Tensor) => straightThroughMix(a as tf.Tensor1D, index, outs))(logits, dy);
    expect(ours).toBeAllclose(ref, { rtol: 1e-5, atol: 1e-6 });
    expect(straightThroughMix(logits, index, outs)).toBeAllclose(surrogate(logits), { atol: 1e-6 });
  });

  it('no gradient reaches unsampled outputs, even when they are on the tape', () => {
    const { logits, outs, dy } = randomSetup(5, 3, [4]);
    const index = 1;
    // Each unsampled output, as an argument of tf.grads, is disconnected from y: TF.js refuses.
    for (const j of [0, 2]) {
      expect(() =>
        tf.grads((a: tf.Tensor, o: tf.Tensor) =>
          straightThroughMix(
            a as tf.Tensor1D,
            index,
            outs.map((t, i) => (i === j ? o : t)),
          ),
        )([logits, outs[j]!], dy),
      ).toThrow(/Cannot compute gradient/);
    }
    // With variables: only the sampled candidate's weights and the logits get gradients.
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 11);
    const ws = [0, 1, 2].map((i) =>
      tf.variable(tf.randomNormal([3, 4], 0, 1, 'float32', 20 + i), true, `st_w${i}`),
    );
    const a = tf.variable(tf.zeros([3]), true, 'st_a') as tf.Variable<tf.Rank.R1>;
    const { grads } = tf.variableGrads(
      () =>
        tf.sum(
          straightThroughMix(
            a,
            index,
            ws.map((w) => tf.matMul(x, w)),
          ),
        ) as tf.Scalar,
    );
    expect(Object.keys(grads).sort()).toEqual(['st_a', 'st_w1']);
    // With the unsampled ones detached, the same holds and the value is unchanged.
    const { grads: g2 } = tf.variableGrads(
      () =>
        tf.sum(
          straightThroughMix(
            a,
            index,
            ws.map((w, i) => (i === index ? tf.matMul(x, w) : detached((v) => tf.matMul(v, w), x))),
          ),
        ) as tf.Scalar,
    );
    expect(Object.keys(g2).sort()).toEqual(['st_a', 'st_w1']);
    expect(g2.st_a).toBeAllclose(grads.st_a!, { atol: 1e-6 });
    for (const v of [...ws, a]) v.dispose();
  });

  it('Monte Carlo: for a loss linear in the output, averaged ST gradients give the exact gradient of E[L]', () => {
    // L = <c, y>, candidates o_i = x W_i. E[L] = sum_i p_i <c, x W_i>, so
    // dE/da = J^T g exactly and dE/dW_i = p_i x^T c. The ST logit gradient is exact on every
    // sample (dL/dy = c does not depend on k); the weight gradient is 1[k=i] x^T c, whose mean
    // over N = 4000 samples must be within 4 binomial sigmas: |freq_i - p_i| < 4 sqrt(p(1-p)/N).
    const k = 3;
    const n = 4000;
    const logits = tf.tensor1d([0.5, -0.3, 0.1]);
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 31);
    const ws = [0, 1, 2].map((i) =>
      tf.variable(tf.randomNormal([3, 4], 0, 1, 'float32', 40 + i), true, `mc_w${i}`),
    );
    const a = tf.variable(logits, true, 'mc_a') as tf.Variable<tf.Rank.R1>;
    const c = tf.randomNormal([2, 4], 0, 1, 'float32', 50);
    const outs = ws.map((w) => tf.matMul(x, w));
    const exactA = closedForm(
      Array.from(logits.dataSync()),
      outs.map((o) => o.dataSync() as Float32Array),
      c.dataSync() as Float32Array,
    );
    const xtc = tf.matMul(x, c, true, false).dataSync();
    const p = Array.from(tf.softmax(logits).dataSync());
    const rng = createRng(2021);
    const sumA = new Float64Array(k);
    const sumW = ws.map(() => new Float64Array(12));
    const before = tf.memory().numTensors;
    for (let s = 0; s < n; s++) {
      const index = sampleCategorical(a, rng);
      const { value, grads } = tf.variableGrads(() => {
        const o = ws.map((w, i) => (i === index ? tf.matMul(x, w) : detached((v) => tf.matMul(v, w), x)));
        return tf.sum(tf.mul(c, straightThroughMix(a, index, o))) as tf.Scalar;
      });
      expect(Object.keys(grads).sort()).toEqual(['mc_a', `mc_w${index}`]);
      grads.mc_a!.dataSync().forEach((v, i) => {
        sumA[i]! += v;
      });
      grads[`mc_w${index}`]!.dataSync().forEach((v, t) => {
        sumW[index]![t]! += v;
      });
      tf.dispose([value, grads]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(sumA, (v) => v / n)).toBeAllclose(exactA, { rtol: 1e-4, atol: 1e-5 });
    for (let i = 0; i < k; i++) {
      const tol = 4 * Math.sqrt((p[i]! * (1 - p[i]!)) / n);
      const scale = Math.max(...Array.from(xtc, Math.abs));
      const expected = Array.from(xtc, (v) => p[i]! * v);
      expect(Array.from(sumW[i]!, (v) => v / n)).toBeAllclose(expected, { rtol: 0, atol: tol * scale });
    }
  });

  it('rejects bad arguments with errors naming them', () => {
    const { logits, outs } = randomSetup(6, 3, [2]);
    expect(() => straightThroughMix(logits, 3, outs)).toThrow(/index must be an integer in \[0, 3\)/);
    expect(() => straightThroughMix(logits, 0, outs.slice(0, 2))).toThrow(/one entry per candidate \(3\)/);
    expect(() => straightThroughMix(logits, 0, [outs[0], undefined, outs[2]])).toThrow(
      /outputs\[1\] is missing/,
    );
    expect(() => straightThroughMix(logits, 0, [outs[0], tf.zeros([3]), outs[2]])).toThrow(
      /outputs\[1\] has shape \[3\] but outputs\[0\] has \[2\]/,
    );
    expect(() => straightThroughMix(tf.zeros([2, 2]) as never, 0, outs)).toThrow(
      /archLogits must be a Tensor1D/,
    );
  });
});
