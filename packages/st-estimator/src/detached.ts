import { clone, customGrad, type GradSaveFunc, type Tensor, zerosLike } from '@tensorflow/tfjs-core';

/**
 * Runs fn(x) off the gradient tape: the value is fn(x), no tensor of fn's graph is kept for
 * backward and no gradient flows to x or to variables fn uses. Built on tf.customGrad, whose
 * forward runs with the tape off (engine kernelDepth > 0) inside its own tidy.
 */
export function detached<T extends Tensor>(fn: (x: Tensor) => T, x: Tensor): T {
  const op = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const input = args[0] as Tensor;
    const y = fn(input);
    if (!(y instanceof Object) || typeof (y as Tensor).dataId === 'undefined') {
      throw new Error('detached: fn must return a tensor');
    }
    // Clone so the node's output is never one of its inputs (or a variable), which would tie the
    // tape in a loop; on cpu and wasm a clone shares the data buffer.
    return { value: clone(y), gradFunc: (_dy: Tensor) => zerosLike(input) };
  });
  return op(x) as T;
}
