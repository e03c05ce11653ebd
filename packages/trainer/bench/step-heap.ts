// The wasm heap of one training step of the 640-unit WSJ supernet on a B x T batch, the data behind
// HEAP_COST (src/training/heap-budget.ts) and the "largest batch" table in docs/benchmarks.md:
//   tsx --conditions=@stnas/source bench/step-heap.ts warmup|weight|arch B T
// prints one JSON line (heap bytes after the step; wasm's heap only grows, so that is the peak).
// Run one step per process; STNAS_BLAS=off measures without the BLAS kernels.

import { readFileSync } from 'node:fs';
import { buildSupernet } from '@stnas/search-space';
import { createEstimator, createRng } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';
import { batchLoss, createAdam, safeUpdate, selectBackend } from '../src/index.ts';

const [stage, B, T] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
await selectBackend('wasm');
const cfg = JSON.parse(
  readFileSync(new URL('../../search-space/configs/wsj-stnas.json', import.meta.url), 'utf8'),
);
cfg.net_configs.num_classes = 41;
const model = buildSupernet(cfg, { seed: 0 });
const heap = () =>
  (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
const x = new Float32Array(B * T * 120);
for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 2;
const labels = Array.from({ length: B }, () =>
  Int32Array.from({ length: Math.floor(T / 3 / 3) }, (_, k) => 1 + (k % 40)),
);
const batch = {
  keys: [],
  x,
  shape: [B, T, 120] as [number, number, number],
  lengths: Array(B).fill(T),
  labels,
  frames: B * T,
};
const rng = createRng(1);
const adam = createAdam({ lr: 1e-3 });
const st = adam.init();
const h0 = heap();
const t0 = performance.now();
try {
  if (stage === 'arch') {
    const estimator = createEstimator('st');
    safeUpdate(
      () => batchLoss(model, batch, { mode: 'search', rng, estimator, training: true, step: 0 }),
      model.archVariables(),
      adam,
      st,
      5e-3,
    );
  } else {
    safeUpdate(
      () =>
        batchLoss(model, batch, {
          mode: stage === 'warmup' ? 'warmup' : 'train',
          rng,
          training: true,
          step: 0,
        }),
      model.weightVariables(),
      adam,
      st,
      1e-3,
    );
  }
  console.log(
    JSON.stringify({
      stage,
      B,
      T,
      frames: B * T,
      heapBefore: h0,
      heap: heap(),
      ms: performance.now() - t0,
      rss: process.resourceUsage().maxRSS * 1024,
    }),
  );
} catch (e) {
  console.log(
    JSON.stringify({
      stage,
      B,
      T,
      frames: B * T,
      error: String((e as Error).message).slice(0, 300),
      heap: heap(),
    }),
  );
}
