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
const xf = tf.randomNormal([B * (T + 2 * p), D]) as tf.Tensor2D;
const xt = tf.randomNormal([D, B * (T + 2 * p) + 2 * p]) as tf.Tensor2D;
const dzp = tf.randomNormal([B * (T + 2 * p), D]) as tf.Tensor2D;
const m = tf.randomNormal([D, D]) as tf.Tensor2D;
const cases: Record<string, () => void> = {
  matMul5: () => { for (let j = 0; j < K; j++) tf.matMul(xf, m).dispose(); },
  conv2dFwd: () => tf.conv2d(x4, w4, 1, 'same', 'NHWC', [1, dil]).dispose(),
  conv2dBackInput_d1: () => tf.conv2dTranspose(x4, w4, [B, 1, T, D], 1, 'same').dispose(),
  dwPadShift: () => tf.dispose(tf.tidy(() => tf.stack(Array.from({ length: K }, (_, j) => tf.matMul(xt, tf.pad(dzp, [[j * dil, 2 * p - j * dil], [0, 0]])))))),
  transposeX: () => tf.transpose(xf).dispose(),
  reverseW: () => tf.reverse(w4, 1).dispose(),
  transposeW: () => tf.transpose(w4, [0, 1, 3, 2]).dispose(),
};
const res: Record<string, number[]> = {};
for (let r = 0; r < 2; r++) for (const [k, f] of Object.entries(cases)) (res[k] ??= []).push(...(await timeIt(f, 2, 1)));
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(20), median(v).toFixed(2), 'ms');
