import { mul, type Tensor, type Tensor3D, tensor3d } from '@tensorflow/tfjs-core';

/** A [B, T, 1] float mask: 1 where t < lengths[b], else 0. */
export function lengthMask(lengths: readonly number[], frames: number): Tensor3D {
  const m = new Float32Array(lengths.length * frames);
  lengths.forEach((len, b) => {
    m.fill(1, b * frames, b * frames + Math.min(len, frames));
  });
  return tensor3d(m, [lengths.length, frames, 1]);
}

import { customOp } from './custom-op';

/**
 * Zeroes the padded frames (t >= lengths[b]) of a [B, T, D] tensor, so padding never leaks into
 * later ops. Its own gradient masks dy the same way; the mask is rebuilt, never kept on the tape.
 */
export function maskFrames<T extends Tensor>(x: T, lengths: readonly number[]): T {
  const frames = x.shape[1]!;
  if (lengths.every((len) => len >= frames)) return x;
  return customOp<T>([x], ([input]) => ({
    value: mul(input!, lengthMask(lengths, frames)) as T,
    gradFunc: (dy) => mul(dy, lengthMask(lengths, frames)),
  }));
}
