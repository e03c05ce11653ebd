import { gather, reshape, type Tensor, type Tensor3D, tensor1d } from '@tensorflow/tfjs-core';
import { customOp } from './custom-op';

/**
 * Reverses each utterance of [B, T, D] within its own length (padded frames stay where they are),
 * so a "reverse" node never sees padding first. The permutation is its own inverse, which is the
 * gradient; no scatter kernel (missing on wasm) is needed.
 */
export function reverseFrames(x: Tensor3D, lengths: readonly number[]): Tensor3D {
  const [b, t, d] = x.shape;
  const idx = new Int32Array(b * t);
  for (let i = 0; i < b; i++) {
    const len = Math.min(lengths[i]!, t);
    for (let j = 0; j < t; j++) idx[i * t + j] = i * t + (j < len ? len - 1 - j : j);
  }
  const perm = (v: Tensor) => reshape(gather(reshape(v, [b * t, d]), tensor1d(idx, 'int32')), [b, t, d]);
  return customOp<Tensor3D>([x], ([input]) => ({
    value: perm(input!) as Tensor3D,
    gradFunc: (dy) => perm(dy),
  }));
}
