import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StnasConfig } from '@stnas/search-space';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_FRAMES } from '../stages/stage-common';
import { repoRoot } from '../test-support';
import {
  checkBatchFits,
  estimateStepHeap,
  largestBatch,
  networkSize,
  type StepKind,
  WASM_HEAP_LIMIT,
} from './heap-budget';

const wsj = JSON.parse(
  readFileSync(path.join(repoRoot, 'packages', 'search-space', 'configs', 'wsj-stnas.json'), 'utf8'),
) as StnasConfig;
// the whole 640-unit supernet (4 candidates in each of 6 nodes; see reference-notes 1.1): 35.3 M
const SUPERNET_PARAMS = 35_300_000;

describe('heap budget of the 640-unit WSJ supernet on wasm', () => {
  it('covers the heaps measured on wasm (docs/benchmarks.md) from above, within 20%', () => {
    expect(networkSize(wsj)).toBe(3840);
    // wasm heap after one step of B x T padded frames (bytes), measured with bench/step-heap.ts
    const measured: Array<['blas' | 'wasm', StepKind, number, number]> = [
      ['blas', 'weights', 2000, 789905408],
      ['blas', 'weights', 4000, 1420754944],
      ['blas', 'weights', 11000, 3366584320],
      ['blas', 'arch', 2000, 891420672],
      ['blas', 'arch', 4000, 1508245504],
      ['blas', 'arch', 11000, 3802791936],
      ['wasm', 'weights', 4000, 2345009152],
      ['wasm', 'arch', 2000, 1405353984],
      ['wasm', 'arch', 4000, 2037907456],
    ];
    for (const [kernels, kind, frames, heap] of measured) {
      const est = estimateStepHeap(wsj, SUPERNET_PARAMS, frames, kind, kernels);
      expect(est, `${kernels} ${kind} ${frames}`).toBeGreaterThanOrEqual(heap * 0.999);
      expect(est / heap, `${kernels} ${kind} ${frames}`).toBeLessThan(1.2);
    }
  });

  it('lets the default --batch-frames through for every kind of step, and refuses a batch past 4 GiB', () => {
    const batch = (utterances: number, frames: number) => ({
      utterances,
      frames,
      padded: utterances * frames,
    });
    const o = { stage: 'search', config: wsj, params: SUPERNET_PARAMS, batchSize: 64, backend: 'wasm' };
    const sixK = largestBatch([[800, 1000, 990], Array(6).fill(1000)]);
    expect(sixK).toEqual({ utterances: 6, frames: 1000, padded: DEFAULT_BATCH_FRAMES });
    for (const blas of [true, false])
      for (const kind of ['weights', 'arch'] as const)
        expect(() =>
          checkBatchFits({ ...o, blas, kind, batch: sixK, batchFrames: DEFAULT_BATCH_FRAMES }),
        ).not.toThrow();
    // with wasm's own kernels a weight step on 8 x 1000 frames is past the limit
    expect(() =>
      checkBatchFits({ ...o, blas: false, kind: 'weights', batch: batch(8, 1000), batchFrames: 8000 }),
    ).toThrow(/lower --batch-frames \(now 8000\) or --batch-size \(now 64\)$/);
    expect(estimateStepHeap(wsj, SUPERNET_PARAMS, 13 * 1300, 'arch')).toBeGreaterThan(WASM_HEAP_LIMIT);
    expect(() =>
      checkBatchFits({ ...o, blas: false, kind: 'arch', batch: batch(13, 1300), batchFrames: undefined }),
    ).toThrow(
      "search: the largest batch holds 13 utterances x 1300 frames = 16900 padded frames; an architecture step on it needs about 5.7 GiB of wasm heap, above the 3.6 GiB that fit in wasm's 4 GiB: lower --batch-frames (now unlimited) or --batch-size (now 64)",
    );
    // other backends have no such limit
    expect(() =>
      checkBatchFits({
        ...o,
        backend: 'tensorflow',
        kind: 'arch',
        batch: batch(13, 1300),
        batchFrames: undefined,
      }),
    ).not.toThrow();
  });
});
