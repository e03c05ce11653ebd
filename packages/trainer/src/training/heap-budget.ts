// Whether a stage's largest batch fits the wasm heap, checked before the first step: a wasm
// allocation past 4 GiB aborts the module, so a batch that cannot fit is refused up front with the
// option to lower. Costs are measured (docs/benchmarks.md, "Largest batch on wasm").

import { hasBlasKernels } from '@stnas/engine';
import type { StnasConfig } from '@stnas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from '../errors';

/** The wasm backend's heap limit: 32-bit addresses, 4 GiB. */
export const WASM_HEAP_LIMIT = 4 * 2 ** 30;

/**
 * The wasm heap of one training step as `base x parameter bytes + perFrame x network size x padded
 * frames` (network size: blocks x width, 3840 for the 640-unit WSJ supernet), fitted from above on
 * that supernet (bench/step-heap.ts, docs/benchmarks.md) for a weight step (one path forward and
 * backward: warmup, the search's weight step, retrain) and the search's architecture step (every
 * candidate forward, one path backward to the logits), with @stnas/engine's BLAS kernels (`blas`)
 * and with wasm's own kernels (`wasm`), which keep more in the heap.
 */
export const HEAP_COST = {
  blas: { weights: { base: 1.13, perFrame: 82.2 }, arch: { base: 1.73, perFrame: 84.3 } },
  wasm: { weights: { base: 1.13, perFrame: 142.2 }, arch: { base: 5.47, perFrame: 82.3 } },
} as const;

/** The kind of step: one path (`weights`) or the architecture step (`arch`). */
export type StepKind = keyof (typeof HEAP_COST)['wasm'];

/** Blocks x width summed over the config's block groups (3840 for wsj-stnas.json). */
export function networkSize(config: StnasConfig): number {
  const nc = config.net_configs;
  const odims: readonly number[] = typeof nc.odims === 'number' ? [nc.odims] : nc.odims;
  return nc.block_list.reduce((n, blocks, g) => n + blocks * (odims[g] ?? odims[0] ?? 0), 0);
}

/** Estimated peak wasm heap in bytes of one step of `kind` on `frames` padded frames. */
export function estimateStepHeap(
  config: StnasConfig,
  params: number,
  frames: number,
  kind: StepKind,
  kernels: keyof typeof HEAP_COST = 'wasm',
): number {
  const c = HEAP_COST[kernels][kind];
  return c.base * params * 4 + c.perFrame * networkSize(config) * frames;
}

/** The largest padded batch (utterances x longest) of a set of batches given as utterance lengths. */
export function largestBatch(batches: readonly (readonly number[])[]): {
  utterances: number;
  frames: number;
  padded: number;
} {
  let best = { utterances: 0, frames: 0, padded: 0 };
  for (const b of batches) {
    const frames = Math.max(0, ...b);
    if (b.length * frames > best.padded) best = { utterances: b.length, frames, padded: b.length * frames };
  }
  return best;
}

/**
 * On the wasm backend, refuses (UsageError naming --batch-frames and --batch-size) a stage whose
 * largest batch would need more heap than wasm has; other backends are not limited here.
 */
export function checkBatchFits(o: {
  stage: string;
  config: StnasConfig;
  params: number;
  kind: StepKind;
  batch: { utterances: number; frames: number; padded: number };
  batchSize: number;
  batchFrames: number | undefined;
  backend?: string;
  /** Whether @stnas/engine's BLAS kernels run the wasm backend's matmuls (default: asks the engine). */
  blas?: boolean;
}): void {
  if ((o.backend ?? tf.getBackend()) !== 'wasm') return;
  const kernels = (o.blas ?? hasBlasKernels('wasm')) ? 'blas' : 'wasm';
  const need = estimateStepHeap(o.config, o.params, o.batch.padded, o.kind, kernels);
  if (need <= WASM_HEAP_LIMIT * 0.9) return;
  const gib = (x: number) => (x / 2 ** 30).toFixed(1);
  const step = o.kind === 'arch' ? 'an architecture step' : 'a training step';
  throw new UsageError(
    `${o.stage}: the largest batch holds ${o.batch.utterances} utterances x ${o.batch.frames} frames = ${o.batch.padded} padded frames; ${step} on it needs about ${gib(need)} GiB of wasm heap, above the ${gib(WASM_HEAP_LIMIT * 0.9)} GiB that fit in wasm's 4 GiB: lower --batch-frames (now ${o.batchFrames ?? 'unlimited'}) or --batch-size (now ${o.batchSize})`,
  );
}
