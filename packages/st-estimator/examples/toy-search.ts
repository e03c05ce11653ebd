// A complete ST-NAS search on a toy problem: one node chooses among a dense layer, identity and
// zero to fit y = x W*. Warmup trains uniformly sampled paths; then each step alternates a weight
// step (one path sampled from p) and an ST arch step (all candidates forward, one on the tape).

import { createEstimator, createRng, detached, sampleCategorical, sampleUniform } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';

export function toySearch(seed = 0, steps = 150) {
  const names = ['dense', 'identity', 'zero'] as const;
  const rng = createRng(seed);
  const d = 8;
  const wStar = tf.randomNormal([d, d], 0, 1, 'float32', seed + 1);
  const batch = (s: number) => {
    const x = tf.randomNormal([32, d], 0, 1, 'float32', s);
    return { x, y: tf.matMul(x, wStar) };
  };
  const w = tf.tidy(() => tf.variable(tf.randomNormal([d, d], 0, 0.1, 'float32', seed + 2), true, 'dense_w'));
  const archLogits = tf.tidy(() => tf.variable(tf.zeros([3]), true, 'arch')) as tf.Variable<tf.Rank.R1>;
  const candidates = [
    (x: tf.Tensor) => tf.matMul(x, w),
    (x: tf.Tensor) => x,
    (x: tf.Tensor) => tf.zerosLike(x),
  ];
  const mse = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar;
  const weightOpt = tf.train.adam(0.05);
  const archOpt = tf.train.adam(0.1);
  const st = createEstimator('st');

  const weightStep = (k: number, s: number) =>
    tf.tidy(() => {
      if (k !== 0) return; // identity and zero have no weights
      const { x, y } = batch(s);
      weightOpt.minimize(() => mse(candidates[k]!(x), y), false, [w]);
    });
  for (let s = 0; s < steps; s++) weightStep(sampleUniform(3, rng), 1000 + s); // warmup
  for (let s = 0; s < steps; s++) {
    weightStep(sampleCategorical(archLogits, rng), 2000 + s);
    tf.tidy(() => {
      const { x, y } = batch(3000 + s); // held-out batch for the arch step
      const plan = st.plan(archLogits, rng, s);
      const outputs = candidates.map((f, i) =>
        plan.train.includes(i) ? f(x) : plan.detach.includes(i) ? detached(f, x) : undefined,
      );
      archOpt.minimize(() => mse(st.mix(plan, outputs), y), false, [archLogits]);
    });
  }
  const probs = Array.from(tf.tidy(() => tf.softmax(archLogits)).dataSync());
  const chosen = names[probs.indexOf(Math.max(...probs))]!;
  tf.dispose([wStar, w, archLogits]);
  weightOpt.dispose();
  archOpt.dispose();
  return { chosen, probs: probs.map((p) => Number(p.toFixed(3))) };
}
