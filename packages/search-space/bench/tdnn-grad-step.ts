// The TDNN step the benchmarks time (tdnn, and @stnas/engine's blas-kernels): forward and backward
// of one TDNN with ReLU, to the input, the filter and the bias.
import * as tf from '@tensorflow/tfjs-core';
import { type TdnnGeometry, tdnnRelu } from '../src/index';

/** Gradients of `sum(tdnnRelu(x, w, b))` with respect to x, w and b, read back and disposed. */
export function tdnnGradStep(x: tf.Tensor3D, w: tf.Tensor3D, b: tf.Tensor1D, geometry: TdnnGeometry): void {
  const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
    tf.sum(tdnnRelu(xx as tf.Tensor3D, ww as tf.Tensor3D, bb as tf.Tensor1D, geometry)),
  )([x, w, b]);
  for (const t of g) t.dataSync();
  tf.dispose(g);
}
