import * as tf from '@tensorflow/tfjs-core';
import { detached } from './detached';
import type { Estimator, Rng } from './types';

/** A one-node supernet of K dense candidates relu(x W1) W2 (d -> h -> d), for tests and benches. */
export interface ToySupernet {
  readonly k: number;
  readonly archLogits: tf.Variable<tf.Rank.R1>;
  readonly weights: readonly (readonly [tf.Variable, tf.Variable])[];
  /** Candidate i applied to x. */
  candidate(i: number, x: tf.Tensor): tf.Tensor;
  /** The node's output under `estimator` for one sampled plan (run / train / detach honoured). */
  forward(estimator: Estimator, x: tf.Tensor, rng: Rng, step?: number): tf.Tensor;
  dispose(): void;
}

/** Builds the toy supernet with seeded weights. Internal: tests and benchmarks only. */
export function createToySupernet(k: number, d: number, h: number, seed = 0): ToySupernet {
  const archLogits = tf.variable(tf.zeros([k]), true) as tf.Variable<tf.Rank.R1>;
  const weights = Array.from(
    { length: k },
    (_, i) =>
      [
        tf.variable(tf.randomNormal([d, h], 0, 1 / Math.sqrt(d), 'float32', seed + 2 * i)),
        tf.variable(tf.randomNormal([h, d], 0, 1 / Math.sqrt(h), 'float32', seed + 2 * i + 1)),
      ] as const,
  );
  const candidate = (i: number, x: tf.Tensor) => {
    const [w1, w2] = weights[i]!;
    return tf.matMul(tf.relu(tf.matMul(x, w1)), w2);
  };
  return {
    k,
    archLogits,
    weights,
    candidate,
    forward(estimator, x, rng, step = 0) {
      const plan = estimator.plan(archLogits, rng, step);
      const outputs: (tf.Tensor | undefined)[] = new Array(k).fill(undefined);
      for (const i of plan.train) outputs[i] = candidate(i, x);
      for (const i of plan.detach) outputs[i] = detached((v) => candidate(i, v), x);
      return estimator.mix(plan, outputs);
    },
    dispose() {
      archLogits.dispose();
      for (const [a, b] of weights) tf.dispose([a, b]);
    },
  };
}
