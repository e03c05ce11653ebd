import {
  clone,
  customGrad,
  type GradSaveFunc,
  memory,
  type Scalar,
  type Tensor,
  type Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';

/** What the tape holds for backward, measured when backward starts. */
export interface BackwardMemory {
  /** Tensors alive at the start of backward beyond those alive before the step. */
  readonly numTensors: number;
  /** Bytes of new data buffers alive at the start of backward. */
  readonly numBytes: number;
}

/**
 * Runs one `variableGrads` step of `loss` and reports the memory alive when backward starts: by
 * then the forward's tidy has freed every intermediate the tape does not keep, so the difference
 * to before the step is what the tape saved (plus the scalar loss and its seed gradient).
 * Internal helper for tests and benchmarks.
 */
export function backwardMemory(loss: () => Scalar, varList?: Variable[]): BackwardMemory {
  const before = memory();
  let at: { numTensors: number; numBytes: number } | undefined;
  const probe = customGrad((...args: (Tensor | GradSaveFunc)[]) => ({
    value: clone(args[0] as Tensor),
    gradFunc: (dy: Tensor) => {
      at = memory();
      return clone(dy);
    },
  }));
  const { value, grads } = variableGrads(() => probe(loss()) as Scalar, varList);
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
  if (!at) throw new Error('backwardMemory: backward never reached the probe');
  return { numTensors: at.numTensors - before.numTensors, numBytes: at.numBytes - before.numBytes };
}
