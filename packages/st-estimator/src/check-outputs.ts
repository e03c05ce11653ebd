import { Tensor } from '@tensorflow/tfjs-core';

/** Checks the logits are a float 1-D tensor and returns K. */
export function checkLogits(archLogits: unknown, fn: string): number {
  if (!(archLogits instanceof Tensor) || archLogits.rank !== 1) {
    const shape = archLogits instanceof Tensor ? `shape [${archLogits.shape.join(', ')}]` : typeof archLogits;
    throw new Error(`${fn}: archLogits must be a Tensor1D of K logits, got ${shape}`);
  }
  if (archLogits.dtype !== 'float32')
    throw new Error(`${fn}: archLogits must be float32, got ${archLogits.dtype}`);
  const k = archLogits.shape[0]!;
  if (k < 1) throw new Error(`${fn}: archLogits is empty; expected at least one candidate`);
  return k;
}

/** Checks `index` is a candidate of a K-way node. */
export function checkIndex(index: number, k: number, fn: string, arg = 'index'): void {
  if (!Number.isInteger(index) || index < 0 || index >= k) {
    throw new Error(`${fn}: ${arg} must be an integer in [0, ${k}), got ${String(index)}`);
  }
}

/**
 * Checks outputs has one slot per candidate and that the `needed` slots hold float32 tensors of
 * one shape; returns that shape.
 */
export function checkOutputs(
  outputs: readonly (Tensor | undefined)[],
  k: number,
  needed: readonly number[],
  fn: string,
): number[] {
  if (!Array.isArray(outputs) || outputs.length !== k) {
    throw new Error(
      `${fn}: outputs must have one entry per candidate (${k}), got ${Array.isArray(outputs) ? outputs.length : typeof outputs}`,
    );
  }
  let shape: number[] | undefined;
  let first = -1;
  for (const i of needed) {
    const o = outputs[i];
    if (!(o instanceof Tensor))
      throw new Error(`${fn}: outputs[${i}] is missing; candidate ${i} must run this step`);
    if (o.isDisposed) throw new Error(`${fn}: outputs[${i}] is disposed`);
    if (o.dtype !== 'float32') throw new Error(`${fn}: outputs[${i}] must be float32, got ${o.dtype}`);
    if (shape === undefined) {
      shape = o.shape;
      first = i;
    } else if (o.shape.length !== shape.length || o.shape.some((d: number, j: number) => d !== shape![j])) {
      throw new Error(
        `${fn}: outputs[${i}] has shape [${o.shape.join(', ')}] but outputs[${first}] has [${shape.join(', ')}]; candidates must agree`,
      );
    }
  }
  return shape ?? [];
}
