import { addN, mul, reshape, slice, softmax, type Tensor, type Tensor1D } from '@tensorflow/tfjs-core';
import { checkLogits, checkOutputs } from './check-outputs';

/** sum_i weights[i] * outputs[i] over `indices`; weights is a Tensor1D of length K. */
export function weightedSum(
  weights: Tensor1D,
  outputs: readonly (Tensor | undefined)[],
  indices: readonly number[],
): Tensor {
  const terms = indices.map((i) => mul(reshape(slice(weights, [i], [1]), []), outputs[i] as Tensor));
  if (terms.length === 1) return terms[0]!;
  const y = addN(terms);
  for (const t of terms) t.dispose();
  return y;
}

/** DARTS' continuous relaxation: sum_i softmax(archLogits)_i * outputs[i] (Liu et al. 2019). */
export function softmaxMix(archLogits: Tensor1D, outputs: readonly (Tensor | undefined)[]): Tensor {
  const k = checkLogits(archLogits, 'softmaxMix');
  const all = Array.from({ length: k }, (_, i) => i);
  checkOutputs(outputs, k, all, 'softmaxMix');
  const w = softmax(archLogits);
  const y = weightedSum(w, outputs, all);
  w.dispose();
  return y;
}
