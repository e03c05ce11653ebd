// Temporary A/B (not committed): old per-tap tdnnRelu vs the new one, alternating, wasm.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { median, timeIt } from '../../../../bench/report';
import { tdnnRelu } from '../../src/tdnn-kernel';
import { tdnnRelu as tdnnOld } from './tdnn-kernel-old';
const { setupWasmBackend } = (await import('../../../trainer/src/backend/wasm-node' as string)) as {
  setupWasmBackend: () => Promise<unknown>;
};
await setupWasmBackend();
await tf.setBackend('wasm');
const [B, T, D, C] = [16, 300, 640, 2];
const x = tf.randomNormal([B, T, D]) as tf.Tensor3D;
const b = tf.zeros([D]) as tf.Tensor1D;
const w = tf.randomNormal([2 * C + 1, D, D], 0, 0.02) as tf.Tensor3D;
const run = (f: typeof tdnnRelu, dilation: number, stride = 1) => () => {
  const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
    tf.sum(f(xx as tf.Tensor3D, ww as tf.Tensor3D, bb as tf.Tensor1D, { halfContext: C, stride, dilation })),
  )([x, w, b]);
  g.forEach((t) => t.dataSync());
  tf.dispose(g);
};
const t: Record<string, number[]> = {};
for (let r = 0; r < 4; r++)
  for (const [k, f] of [['old', tdnnOld], ['new', tdnnRelu]] as const)
    for (const [dn, d, s] of [['D1', 1, 1], ['D2', 2, 1], ['S3', 1, 3]] as const)
      (t[`${k} ${dn}`] ??= []).push(...(await timeIt(run(f, d, s), 1, r === 0 ? 1 : 0)));
for (const [k, v] of Object.entries(t)) console.log(k.padEnd(8), 'min', Math.min(...v).toFixed(0), 'median', median(v).toFixed(0), 'ms');
console.log('load', (await import('node:os')).loadavg()[0]);
