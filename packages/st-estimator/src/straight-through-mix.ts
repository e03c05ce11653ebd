import {
  clone,
  customGrad,
  expandDims,
  type GradSaveFunc,
  gather,
  mul,
  oneHot,
  softmax,
  stack,
  sub,
  sum,
  type Tensor,
  type Tensor1D,
  tensor1d,
} from '@tensorflow/tfjs-core';
import { checkIndex, checkLogits, checkOutputs } from './check-outputs';

/**
 * The straight-through estimator over a subset `involved` of the candidates (all K for ST-NAS,
 * the two sampled ones for ProxylessNAS two-path mode). Forward value: outputs[index]. Backward:
 * outputs[index] gets dy unchanged, other outputs get nothing (they are not inputs of the node),
 * and logit a_i (i in involved) gets sum_j g_j q_j (delta_ij - q_i), with g_j = <dy, o_j> and q
 * the softmax of the involved logits (Zheng, An, Ou, SLT 2021, eq. for dL/dp; ProxylessNAS).
 */
export function straightThroughOver(
  archLogits: Tensor1D,
  involved: readonly number[],
  index: number,
  outputs: readonly (Tensor | undefined)[],
  fn = 'straightThroughMix',
): Tensor {
  const k = checkLogits(archLogits, fn);
  checkIndex(index, k, fn);
  if (involved.length === 0 || !involved.includes(index)) {
    throw new Error(
      `${fn}: the sampled index ${index} must be among the involved candidates [${involved.join(', ')}]`,
    );
  }
  for (const i of involved) checkIndex(i, k, fn, 'involved candidate');
  checkOutputs(outputs, k, involved, fn);
  const others = involved.map((i) => outputs[i] as Tensor);
  const pos = involved.indexOf(index);
  const all = involved.length === k && involved.every((v, j) => v === j);

  const op = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [logits, sampled, save] = args as [Tensor, Tensor, GradSaveFunc];
    // Save only existing buffers (clones share data): the logits and the candidates' outputs are
    // all backward needs. q is recomputed there, so the forward allocates nothing but its value.
    save([logits, ...others.map((o, j) => (j === pos ? sampled : o))]);
    return {
      value: clone(sampled),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [a, ...os] = saved as [Tensor, ...Tensor[]];
        const idx = tensor1d(Int32Array.from(involved), 'int32');
        const q = softmax(all ? a : gather(a, idx));
        const g = stack(os.map((o) => sum(mul(dy, o)))) as Tensor1D;
        const qg = mul(q, g);
        const dq = sub(qg, mul(q, sum(qg)));
        const dLogits = all ? dq : sum(mul(expandDims(dq, 1), oneHot(idx, k)), 0);
        return [dLogits, clone(dy)];
      },
    };
  });
  return op(archLogits, outputs[index] as Tensor);
}

/**
 * ST-NAS's straight-through mix: the forward value is outputs[index]; the upstream gradient passes
 * unchanged to outputs[index] only; archLogits get the softmax chain rule of dL/dp_i = <dL/dy, o_i>,
 * i.e. dL/da_i = sum_j g_j p_j (delta_ij - p_i). All K outputs must be given (detach the unsampled
 * ones with `detached`, so the tape keeps one path).
 */
export function straightThroughMix(
  archLogits: Tensor1D,
  index: number,
  outputs: readonly (Tensor | undefined)[],
): Tensor {
  const k = checkLogits(archLogits, 'straightThroughMix');
  return straightThroughOver(
    archLogits,
    Array.from({ length: k }, (_, i) => i),
    index,
    outputs,
  );
}
