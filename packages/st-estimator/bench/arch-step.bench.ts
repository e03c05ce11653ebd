// Time and memory per arch step for ST, GDAS, SNAS and DARTS on the same toy supernet (one node of
// K dense candidates d -> h -> d), K = 2, 4, 8, cpu backend. Estimators alternate within each
// repetition so a busy machine slows them alike; medians are reported.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { markdownTable, median, record } from '../../../bench/report';
import { backwardMemory } from '../src/backward-memory';
import { createEstimator } from '../src/create-estimator';
import { createRng } from '../src/rng';
import { createToySupernet } from '../src/toy-supernet';
import type { EstimatorName } from '../src/types';

await tf.setBackend('cpu');
const B = 64;
const D = 64;
const H = 256;
const REPS = 7;
const names: EstimatorName[] = ['st', 'gdas', 'snas', 'darts'];
const rows: (string | number)[][] = [];
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2);

for (const k of [2, 4, 8]) {
  const net = createToySupernet(k, D, H, 7);
  const x = tf.randomNormal([B, D], 0, 1, 'float32', 1);
  const target = tf.randomNormal([B, D], 0, 1, 'float32', 2);
  const rng = createRng(k);
  const loss = (y: tf.Tensor) => tf.mean(tf.square(tf.sub(y, target))) as tf.Scalar;
  const step = (name: EstimatorName | 'single') => {
    const est = name === 'single' ? undefined : createEstimator(name);
    const f = () => loss(est ? net.forward(est, x, rng) : net.candidate(0, x));
    const { value, grads } = tf.variableGrads(f, [net.archLogits, ...(est ? [] : net.weights[0]!)]);
    grads[net.archLogits.name]?.dataSync();
    tf.dispose([value, grads]);
  };
  const all = ['single', ...names] as const;
  const times = new Map<string, number[]>(all.map((n) => [n, []]));
  for (const n of all) step(n); // warmup
  for (let r = 0; r < REPS; r++) {
    for (const n of all) {
      const t0 = performance.now();
      step(n);
      times.get(n)!.push(performance.now() - t0);
    }
  }
  const kept = new Map<string, number>();
  const peak = new Map<string, number>();
  for (const n of all) {
    const est = n === 'single' ? undefined : createEstimator(n);
    const f = () => loss(est ? net.forward(est, x, rng) : net.candidate(0, x));
    kept.set(n, backwardMemory(f, [net.archLogits, ...(est ? [] : net.weights[0]!)]).numBytes);
    const base = tf.memory().numBytes;
    const prof = await tf.profile(() => step(n));
    peak.set(n, prof.peakBytes - base);
  }
  for (const n of all) {
    const t = median(times.get(n)!);
    rows.push([
      k,
      n === 'single' ? 'single path (weight step)' : n,
      t.toFixed(2),
      (t / median(times.get('single')!)).toFixed(2),
      mb(peak.get(n)!),
      mb(kept.get(n)!),
      (kept.get(n)! / kept.get('single')!).toFixed(2),
    ]);
  }
  tf.dispose([x, target]);
  net.dispose();
}

record(
  'st-estimator: arch step per estimator',
  markdownTable(
    [
      'K',
      'estimator',
      'ms / step (median)',
      'time vs single',
      'peak MiB',
      'kept for backward MiB',
      'kept vs single',
    ],
    rows,
  ),
  `Toy supernet: one node of K dense candidates relu(x W1) W2, batch ${B}, d ${D}, hidden ${H}; loss MSE; ` +
    `arch step = forward + backward to the logits (weights frozen), tfjs cpu backend, ${REPS} alternating reps. ` +
    '"peak" is tf.profile peakBytes over the step; "kept" is what the tape holds when backward starts ' +
    '(src/backward-memory.ts). ST runs all K forwards but keeps one path plus the K outputs; GDAS runs one ' +
    'path; SNAS and DARTS run and keep all K. No PyTorch comparison in this benchmark (torch not used).',
);
