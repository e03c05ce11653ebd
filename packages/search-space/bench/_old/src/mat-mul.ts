import { matMul, type Tensor2D, transpose } from '@tensorflow/tfjs-core';
import { customOp } from './custom-op';

/**
 * `a @ b` whose gradient uses explicit transposes and plain matMuls: the wasm backend runs
 * matMul with transposeA/transposeB about 20x slower than a plain one (docs/perf-notes.md),
 * and TF.js's built-in matMul gradient uses the transposed forms.
 */
export function matMulPlain(a: Tensor2D, b: Tensor2D): Tensor2D {
  return customOp<Tensor2D>([a, b], ([x, w], save) => {
    save([x!, w!]);
    return {
      value: matMul(x as Tensor2D, w as Tensor2D),
      gradFunc: (dy, saved) => [
        matMul(dy, transpose(saved[1] as Tensor2D)),
        matMul(transpose(saved[0] as Tensor2D), dy),
      ],
    };
  });
}
