import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { median, timeIt } from '../../../bench/report';
const { setupWasmBackend } = (await import('../../trainer/src/backend/wasm-node' as string)) as any;
await setupWasmBackend();
await tf.setBackend('wasm');
const [B, T, D, K, dil] = [16, 300, 640, 5, 2];
const p = 2 * dil;
const w4 = tf.randomNormal([1, K, D, D]) as tf.Tensor4D;
const x4 = tf.randomNormal([B, 1, T, D]) as tf.Tensor4D;
const bias = tf.randomNormal([D]) as tf.Tensor1D;
const xp = tf.randomNormal([B, T + 2 * p, D]) as tf.Tensor3D;
const dz = tf.randomNormal([B, T, D]) as tf.Tensor3D;
const xf = tf.randomNormal([B * (T + 2 * p), D]) as tf.Tensor2D;
const m = tf.randomNormal([D, D]) as tf.Tensor2D;
const P = tf.reverse(tf.eye(K), 0) as tf.Tensor2D;
const cases: Record<string, () => void> = {
  matMul5: () => { for (let j = 0; j < K; j++) tf.matMul(xf, m).dispose(); },
  fusedConvFwd: () => tf.fused.conv2d({ x: x4, filter: w4, strides: 1, pad: 'same', dilations: [1, dil], bias, activation: 'relu' }).dispose(),
  dwConv: () => tf.dispose(tf.tidy(() => {
    const inp = tf.reshape(tf.transpose(xp, [2, 1, 0]), [D, 1, T + 2 * p, B]) as tf.Tensor4D;
    const f = tf.reshape(tf.transpose(dz, [1, 0, 2]), [1, T, B, D]) as tf.Tensor4D;
    const o = tf.conv2d(inp, f, [1, dil], 'valid');
    return tf.transpose(tf.reshape(o, [D, K, D]), [1, 0, 2]);
  })),
  reverseMM: () => tf.dispose(tf.tidy(() => tf.reshape(tf.matMul(P, tf.reshape(w4, [K, D * D])), [K, D, D]))),
};
const res: Record<string, number[]> = {};
for (let r = 0; r < 2; r++) for (const [k, f] of Object.entries(cases)) (res[k] ??= []).push(...(await timeIt(f, 2, 1)));
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(20), median(v).toFixed(2), 'ms');
