import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENBLAS, skipWithoutBlas, useBackend } from '../../../test/backends';
import { needs } from '../../../test/system-tools';
// The TDNN op lives in search-space and runs these kernels when they are registered.
import { tdnnRelu } from '../../search-space/src/tdnn-kernel';
import { installBlasKernels, uninstallBlasKernels } from './blas-kernels';
import { loadBlas } from './blas-library';
import { TDNN_KERNELS } from './blas-tdnn';

const blas = loadBlas({ threads: 1 }).blas;

const geometries = [
  { halfContext: 2, stride: 1, dilation: 1 },
  { halfContext: 2, stride: 1, dilation: 2 },
  { halfContext: 1, stride: 3, dilation: 1 },
  { halfContext: 2, stride: 3, dilation: 2 },
  { halfContext: 0, stride: 1, dilation: 1 },
  { halfContext: 1, stride: 2, dilation: 1 },
];

/** Output, dx, dw and db of sum(tdnnRelu(x) * r), flattened into one array. */
function valueAndGrads(frames: number, g: (typeof geometries)[number]): Float32Array {
  return tf.tidy(() => {
    const taps = 2 * g.halfContext + 1;
    const x = tf.randomUniform([3, frames, 7], -1, 1, 'float32', 1) as tf.Tensor3D;
    const w = tf.randomUniform([taps, 7, 5], -0.5, 0.5, 'float32', 2) as tf.Tensor3D;
    const b = tf.randomUniform([5], -0.1, 0.3, 'float32', 3) as tf.Tensor1D;
    const tOut = Math.floor((frames - 1) / g.stride) + 1;
    const r = tf.randomUniform([3, tOut, 5], -1, 1, 'float32', 4);
    const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(tdnnRelu(xx as tf.Tensor3D, ww as tf.Tensor3D, bb as tf.Tensor1D, g), r));
    const y = tdnnRelu(x, w, b, g);
    const grads = tf.grads(f)([x, w, b]);
    return tf.concat([y, ...grads].map((t) => tf.reshape(t, [-1]))).dataSync() as Float32Array;
  });
}

describe.skipIf(skipWithoutBlas).each(['wasm', 'cpu'] as const)(
  `BLAS TDNN kernels on %s ${needs(OPENBLAS, 'BLAS')}`,
  (backend) => {
    beforeAll(() => useBackend(backend));
    afterAll(async () => {
      uninstallBlasKernels(backend);
      await useBackend('cpu');
    });

    it.each(geometries)(
      'tdnnRelu C$halfContext S$stride D$dilation: value and gradients agree with the stock kernels',
      (g) => {
        for (const frames of [11, 12]) {
          uninstallBlasKernels(backend);
          const want = valueAndGrads(frames, g);
          installBlasKernels(backend, blas!.sgemm);
          const got = valueAndGrads(frames, g);
          expect(got).toBeAllclose(want, { rtol: 1e-5, atol: 1e-6 });
        }
      },
    );

    it('runs the BLAS kernels when installed, and not after uninstall', async () => {
      const run = () =>
        tf.profile(() => {
          const x = tf.ones([2, 9, 4]) as tf.Tensor3D;
          const w = tf.ones([3, 4, 3]) as tf.Tensor3D;
          const b = tf.zeros([3]) as tf.Tensor1D;
          tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
            tf.sum(
              tdnnRelu(xx as tf.Tensor3D, ww as tf.Tensor3D, b, { halfContext: 1, stride: 1, dilation: 1 }),
            ),
          )([x, w]).forEach((t) => {
            t.dispose();
          });
          tf.dispose([x, w, b]);
        });
      installBlasKernels(backend, blas!.sgemm);
      const on = (await run()).kernelNames;
      expect(on).toEqual(expect.arrayContaining(Object.values(TDNN_KERNELS)));
      uninstallBlasKernels(backend);
      const off = (await run()).kernelNames;
      expect(off.some((k) => k.startsWith('StnasTdnn'))).toBe(false);
    });

    it('matches a float64 closed form of the strided dilated convolution', () => {
      installBlasKernels(backend, blas!.sgemm);
      const g = { halfContext: 2, stride: 2, dilation: 2 };
      const [B, T, Din, Dout, K] = [2, 13, 3, 4, 5];
      const x = tf.randomUniform([B, T, Din], -1, 1, 'float32', 5) as tf.Tensor3D;
      const w = tf.randomUniform([K, Din, Dout], -1, 1, 'float32', 6) as tf.Tensor3D;
      const b = tf.randomUniform([Dout], -1, 1, 'float32', 7) as tf.Tensor1D;
      const y = tdnnRelu(x, w, b, g);
      const [xv, wv, bv, yv] = [x.dataSync(), w.dataSync(), b.dataSync(), y.dataSync()];
      const tOut = Math.ceil(T / g.stride);
      expect(y.shape).toEqual([B, tOut, Dout]);
      for (let u = 0; u < B; u++)
        for (let t = 0; t < tOut; t++)
          for (let o = 0; o < Dout; o++) {
            let z = bv[o]!;
            for (let j = 0; j < K; j++) {
              const i = t * g.stride + (j - g.halfContext) * g.dilation;
              if (i < 0 || i >= T) continue;
              for (let c = 0; c < Din; c++) z += xv[(u * T + i) * Din + c]! * wv[(j * Din + c) * Dout + o]!;
            }
            expect(yv[(u * tOut + t) * Dout + o]).toBeCloseTo(Math.max(z, 0), 5);
          }
      tf.dispose([x, w, b, y]);
    });
  },
);
