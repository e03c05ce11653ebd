import { customGrad, type GradSaveFunc, type Tensor } from '@tensorflow/tfjs-core';

/** A forward value with its gradient function (gradients in the order of the inputs). */
export interface CustomResult<T extends Tensor> {
  /** The forward value. */
  value: T;
  /** Gradients of the inputs given dy and the tensors the forward saved, in order. */
  gradFunc: (dy: T, saved: Tensor[]) => Tensor | Tensor[];
}

/**
 * `tf.customGrad` with typed inputs. `f` runs with the tape off inside its own tidy (TF.js
 * disposes the whole forward's intermediates before backprop), so backward may read only what
 * `f` passes to `save`. Save inputs and outputs only: on cpu their clones share data, while a
 * saved intermediate is a new buffer that TF.js's IS_TEST leak check rejects.
 */
export function customOp<T extends Tensor>(
  inputs: Tensor[],
  f: (inputs: Tensor[], save: GradSaveFunc) => CustomResult<T>,
): T {
  const op = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const save = args[args.length - 1] as GradSaveFunc;
    return f(args.slice(0, -1) as Tensor[], save) as unknown as CustomResult<Tensor>;
  });
  return op(...inputs) as T;
}
