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
  it('covers the heaps measured on wasm (docs/benchmarks.md) from above, within 15%', () => {
    expect(networkSize(wsj)).toBe(3840);
    // wasm heap after one step of B x T padded frames (bytes), measured with bench/step-heap.ts
    const measured: Array<[StepKind, number, number]> = [
      ['weights', 2000, 789905408],
      ['weights', 4000, 1420754944],
      ['weights', 11000, 3366584320],
      ['arch', 2000, 891420672],
      ['arch', 4000, 1508245504],
      ['arch', 11000, 3802791936],
    ];
    for (const [kind, frames, heap] of measured) {
      const est = estimateStepHeap(wsj, SUPERNET_PARAMS, frames, kind);
      expect(est, `${kind} ${frames}`).toBeGreaterThanOrEqual(heap);
      expect(est / heap, `${kind} ${frames}`).toBeLessThan(1.15);
    }
  });

  it('lets the default --batch-frames through for every kind of step, and refuses a batch past 4 GiB', () => {
    const batch = (utterances: number, frames: number) => ({
      utterances,
      frames,
      padded: utterances * frames,
    });
    const o = { stage: 'search', config: wsj, params: SUPERNET_PARAMS, batchSize: 64, backend: 'wasm' };
    const tenK = largestBatch([[800, 1000, 990], Array(10).fill(1000)]);
    expect(tenK).toEqual({ utterances: 10, frames: 1000, padded: DEFAULT_BATCH_FRAMES });
    for (const kind of ['weights', 'arch'] as const)
      expect(() =>
        checkBatchFits({ ...o, kind, batch: tenK, batchFrames: DEFAULT_BATCH_FRAMES }),
      ).not.toThrow();
    expect(estimateStepHeap(wsj, SUPERNET_PARAMS, 13 * 1300, 'arch')).toBeGreaterThan(WASM_HEAP_LIMIT);
    expect(() =>
      checkBatchFits({ ...o, kind: 'arch', batch: batch(13, 1300), batchFrames: undefined }),
    ).toThrow(
      "search: the largest batch holds 13 utterances x 1300 frames = 16900 padded frames; an architecture step on it needs about 5.5 GiB of wasm heap, above the 3.6 GiB that fit in wasm's 4 GiB: lower --batch-frames (now unlimited) or --batch-size (now 64)",
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
