import {
  add,
  mean,
  mul,
  reshape,
  rsqrt,
  square,
  sub,
  sum,
  type Tensor,
  type Tensor1D,
} from '@tensorflow/tfjs-core';
import { customOp } from './custom-op';

function normalise(x: Tensor, d: number, eps: number): { xhat: Tensor; rstd: Tensor } {
  const x2 = reshape(x, [-1, d]);
  const xc = sub(x2, mean(x2, -1, true));
  const rstd = rsqrt(add(mean(square(xc), -1, true), eps));
  return { xhat: mul(xc, rstd), rstd };
}

/**
 * LayerNorm over the last (feature) axis, `(x - mean) / sqrt(var + eps) * gamma + beta` with the
 * biased variance, as torch.nn.LayerNorm. Its closed-form gradient keeps only the input
 * and gamma for backward.
 */
export function layerNorm<T extends Tensor>(x: T, gamma: Tensor1D, beta: Tensor1D, eps = 1e-5): T {
  const d = x.shape[x.shape.length - 1]!;
  if (gamma.shape[0] !== d || beta.shape[0] !== d) {
    throw new Error(
      `layerNorm: gamma [${gamma.shape}] and beta [${beta.shape}] must be [${d}] for input [${x.shape}]`,
    );
  }
  const shape = x.shape;
  return customOp<T>([x, gamma, beta], ([xIn, g, b], save) => {
    const { xhat } = normalise(xIn!, d, eps);
    // Backward recomputes the normalisation from the input (a few elementwise passes): TF.js's
    // IS_TEST leak check rejects kept intermediates.
    save([xIn!, g!]);
    return {
      value: reshape(add(mul(xhat, g!), b!), shape) as T,
      gradFunc: (dy, saved) => {
        const [xs, gs] = saved as [Tensor, Tensor];
        const { xhat: xh, rstd: rs } = normalise(xs, d, eps);
        const dy2 = reshape(dy, [-1, d]);
        const gh = mul(dy2, gs);
        const dx = mul(rs, sub(sub(gh, mean(gh, -1, true)), mul(xh, mean(mul(gh, xh), -1, true))));
        return [reshape(dx, shape), sum(mul(dy2, xh), 0), sum(dy2, 0)];
      },
    };
  });
}
