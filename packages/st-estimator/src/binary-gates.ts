import { oneHot, reshape, type Tensor1D, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { checkLogits } from './check-outputs';
import { drawIndex, readVector, softmax64 } from './sample';
import type { Rng } from './types';

/** A ProxylessNAS binary-gate sample. */
export interface BinaryGateSample {
  /** The active candidate (its gate is 1). */
  readonly index: number;
  /** Candidates whose logits receive gradient: all K with paths 1, the two sampled with paths 2. */
  readonly indices: readonly number[];
}

/** Samples the active path and the involved candidates from logits in float64 (no tensors). */
export function sampleBinaryGates(
  logits: ArrayLike<number>,
  rng: Rng,
  paths: 1 | 2,
  fn = 'binaryGates',
): BinaryGateSample {
  if (paths !== 1 && paths !== 2) throw new Error(`${fn}: paths must be 1 or 2, got ${String(paths)}`);
  const k = logits.length;
  const p = softmax64(logits);
  if (paths === 1 || k === 1) {
    return { index: drawIndex(p, rng), indices: Array.from({ length: k }, (_, i) => i) };
  }
  // Two distinct candidates drawn from p without replacement, then the active one from the
  // softmax of their two logits (ProxylessNAS "two" mode, Cai, Zhu and Han 2019).
  const first = drawIndex(p, rng);
  const rest = Float64Array.from(p, (v, i) => (i === first ? 0 : v));
  const s = rest.reduce((a, b) => a + b, 0);
  const second =
    s > 0
      ? drawIndex(
          rest.map((v) => v / s),
          rng,
        )
      : (first + 1) % k;
  const pair = [first, second].sort((a, b) => a - b) as [number, number];
  const q = softmax64([logits[pair[0]]!, logits[pair[1]]!]);
  const index = pair[drawIndex(q, rng)]!;
  return { index, indices: pair };
}

/**
 * ProxylessNAS-style sampling: returns the active index, the involved candidates and the binary
 * gate tensor (one-hot of the active index, float32, owned by the caller). Mix with
 * `createEstimator('proxyless', { paths })` or `straightThroughMix` (paths 1).
 */
export function binaryGates(
  archLogits: Tensor1D,
  rng: Rng,
  options: { paths?: 1 | 2 } = {},
): BinaryGateSample & { gates: Tensor1D } {
  const k = checkLogits(archLogits, 'binaryGates');
  const sample = sampleBinaryGates(
    readVector(archLogits, 'binaryGates', 'archLogits'),
    rng,
    options.paths ?? 2,
  );
  const gates = tidy(
    () => reshape(oneHot(tensor1d([sample.index], 'int32'), k, 1, 0, 'float32'), [k]) as Tensor1D,
  );
  return { ...sample, gates };
}
