import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENBLAS, skipWithoutBlas, useBackend } from '../../../test/backends';
import { needs } from '../../../test/system-tools';
import { installBlasKernels, uninstallBlasKernels } from './blas-kernels';
import { loadBlas } from './blas-library';

const load = loadBlas({ threads: 1 });
const blas = load.blas;
const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

type Case = {
  name: string;
  a: number[];
  b: number[];
  ta?: boolean;
  tb?: boolean;
};
const cases: Case[] = [
  { name: 'plain 2D', a: [37, 29], b: [29, 23] },
  { name: 'transposeA', a: [29, 37], b: [29, 23], ta: true },
  { name: 'transposeB', a: [37, 29], b: [23, 29], tb: true },
  { name: 'both transposed', a: [29, 37], b: [23, 29], ta: true, tb: true },
  { name: 'batch 3D x 3D', a: [4, 17, 13], b: [4, 13, 11] },
  { name: 'batch 3D x 2D (b shared)', a: [4, 17, 13], b: [13, 11] },
  { name: 'batch 2D x 3D (a shared)', a: [17, 13], b: [4, 13, 11], tb: false },
  { name: 'broadcast [2,1] x [1,3]', a: [2, 1, 9, 7], b: [1, 3, 7, 5], ta: false },
  { name: 'broadcast, both transposed', a: [2, 1, 7, 9], b: [3, 5, 7], ta: true, tb: true },
  { name: 'batch 1 vs 4 transposeA', a: [1, 13, 17], b: [4, 13, 11], ta: true },
  { name: 'empty inner', a: [3, 0], b: [0, 4] },
];
const activations = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid', 'prelu'] as const;

/** Runs `f` with the backend's own kernels and with BLAS, and returns both results. */
function both(backend: 'wasm' | 'cpu', f: () => tf.Tensor): [Float32Array, Float32Array] {
  uninstallBlasKernels(backend);
  const want = tf.tidy(f).dataSync() as Float32Array;
  installBlasKernels(backend, blas!.sgemm);
  const got = tf.tidy(f).dataSync() as Float32Array;
  return [got, want];
}

describe.skipIf(skipWithoutBlas)(`loadBlas ${needs(OPENBLAS, 'BLAS')}`, () => {
  it('finds the machine BLAS and reports its config and threads', () => {
    expect(load.reason).toBeUndefined();
    expect(blas?.config.length).toBeGreaterThan(0);
    expect(blas?.threads).toBe(1);
  });
  it('falls back with a reason for a bogus STNAS_BLAS path', () => {
    const r = loadBlas({ env: { STNAS_BLAS: '/nonexistent/libnotblas.so' } });
    expect(r.blas).toBeUndefined();
    expect(r.reason).toMatch(/^STNAS_BLAS=\/nonexistent\/libnotblas.so could not be used: /);
  });
  it('falls back with a reason for a library without cblas_sgemm', () => {
    const r = loadBlas({ env: { STNAS_BLAS: 'libm.so.6' } });
    expect(r.blas).toBeUndefined();
    expect(r.reason).toMatch(/no working cblas_sgemm/);
  });
  it('is off with STNAS_BLAS=off or blas: off', () => {
    expect(loadBlas({ env: { STNAS_BLAS: 'off' } }).reason).toBe('BLAS turned off by STNAS_BLAS=off');
    expect(loadBlas({ blas: 'off' }).reason).toBe('BLAS turned off (--blas off)');
  });
});

describe.skipIf(skipWithoutBlas).each(['wasm', 'cpu'] as const)(
  `BLAS matMul kernels on %s ${needs(OPENBLAS, 'BLAS')}`,
  (backend) => {
    beforeAll(() => useBackend(backend));
    afterAll(async () => {
      uninstallBlasKernels(backend);
      await useBackend('cpu');
    });

    it.each(cases)('matMul $name agrees with the backend kernel on full-batch inputs', ({ a, b, ta, tb }) => {
      // The reference broadcasts the batch dimensions explicitly: the backends' own kernels
      // mishandle batches of different sizes, and wasm's leaves the output unset for k = 0.
      const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(a.slice(0, -2), b.slice(0, -2));
      const full = (t: tf.Tensor, shape: number[]) =>
        outBatch.length === 0
          ? t
          : tf.broadcastTo(tf.reshape(t, [...Array(outBatch.length + 2 - shape.length).fill(1), ...shape]), [
              ...outBatch,
              ...shape.slice(-2),
            ]);
      const m = ta ? a[a.length - 1]! : a[a.length - 2]!;
      const n = tb ? b[b.length - 2]! : b[b.length - 1]!;
      const f = () => tf.matMul(rand(a, 1), rand(b, 2), ta, tb);
      const ref = () =>
        a[ta ? a.length - 2 : a.length - 1] === 0
          ? tf.zeros([...outBatch, m, n])
          : tf.matMul(full(rand(a, 1), a), full(rand(b, 2), b), ta, tb);
      uninstallBlasKernels(backend);
      const want = tf.tidy(ref).dataSync() as Float32Array;
      installBlasKernels(backend, blas!.sgemm);
      const got = tf.tidy(f).dataSync() as Float32Array;
      expect(got.length).toBe(want.length);
      expect(got).toBeAllclose(want, { rtol: 1e-5, atol: 1e-6 });
    });

    it.each(activations)('fused matMul with bias and %s equals act(matMul + bias)', (activation) => {
      const a = () => rand([3, 19, 13], 3);
      const b = () => rand([13, 11], 4);
      const bias = () => rand([11], 5);
      const alpha = () => rand([11], 6);
      const composed = () => {
        const z = tf.add(tf.matMul(a(), b()), bias());
        switch (activation) {
          case 'linear':
            return z;
          case 'relu':
            return tf.relu(z);
          case 'relu6':
            return tf.relu6(z);
          case 'elu':
            return tf.elu(z);
          case 'leakyrelu':
            return tf.leakyRelu(z, 0.3);
          case 'sigmoid':
            return tf.sigmoid(z);
          case 'prelu':
            return tf.prelu(z, alpha());
        }
      };
      uninstallBlasKernels(backend);
      const want = tf.tidy(composed).dataSync() as Float32Array;
      installBlasKernels(backend, blas!.sgemm);
      const got = tf
        .tidy(() =>
          tf.fused.matMul({
            a: a(),
            b: b(),
            bias: bias(),
            activation,
            preluActivationWeights: activation === 'prelu' ? alpha() : undefined,
            leakyreluAlpha: 0.3,
          }),
        )
        .dataSync() as Float32Array;
      expect(got).toBeAllclose(want, { rtol: 1e-5, atol: 1e-6 });
    });

    it('fused matMul, both transposed, no bias, relu, agrees', () => {
      const [got, want] = both(backend, () =>
        tf.fused.matMul({
          a: rand([13, 19], 7),
          b: rand([11, 13], 8),
          transposeA: true,
          transposeB: true,
          activation: 'relu',
        }),
      );
      expect(got).toBeAllclose(want, { rtol: 1e-5, atol: 1e-6 });
    });

    it.each([
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ])('matMul gradients with transposeA=%s transposeB=%s agree', (ta, tb) => {
      const x = rand(ta ? [10, 12] : [12, 10], 9);
      const w = rand(tb ? [6, 10] : [10, 6], 10);
      const grads = () => {
        const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.matMul(xx, ww, ta, tb))));
        const [dx, dw] = g([x, w]);
        return tf.concat([tf.reshape(dx!, [-1]), tf.reshape(dw!, [-1])]);
      };
      const [got, want] = both(backend, grads);
      expect(got).toBeAllclose(want, { rtol: 1e-5, atol: 1e-6 });
    });

    it('keeps the tensor count flat', () => {
      installBlasKernels(backend, blas!.sgemm);
      const a = rand([5, 7], 1);
      const b = rand([7, 3], 2);
      tf.matMul(a, b).dispose();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) tf.matMul(a, b).dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b]);
    });

    it('a large product matches a float64 reference within 1e-5 relative', () => {
      installBlasKernels(backend, blas!.sgemm);
      const m = 64;
      const k = 300;
      const n = 48;
      const a = tf.tidy(() => rand([m, k], 11));
      const b = tf.tidy(() => rand([k, n], 12));
      const av = a.dataSync();
      const bv = b.dataSync();
      const c = tf.matMul(a, b).dataSync();
      const ref = new Float64Array(m * n);
      let scale = 0;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          let mag = 0;
          for (let p = 0; p < k; p++) {
            s += av[i * k + p]! * bv[p * n + j]!;
            mag += Math.abs(av[i * k + p]! * bv[p * n + j]!);
          }
          ref[i * n + j] = s;
          scale = Math.max(scale, mag);
        }
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(c[i]! - ref[i]!) / scale);
      expect(worst).toBeLessThan(1e-5);
      tf.dispose([a, b]);
    });
  },
);
