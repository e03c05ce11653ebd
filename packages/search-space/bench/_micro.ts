import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { median, timeIt } from '../../../bench/report';
const { setupWasmBackend } = (await import('../../trainer/src/backend/wasm-node' as string)) as any;
await setupWasmBackend();
await tf.setBackend('wasm');
const w = tf.randomNormal([5, 640, 640]);
const x = tf.randomNormal([16, 304, 640]);
const xf = tf.reshape(x, [16 * 304, 640]);
const m = tf.randomNormal([640, 640]);
const cases: Record<string, () => void> = {
  unstack: () => tf.dispose(tf.unstack(w)),
  sliceNonContig: () => tf.slice(x, [0, 2, 0], [16, 300, 640]).dispose(),
  sliceContig: () => tf.slice(xf, [2, 0], [16 * 304 - 4, 640]).dispose(),
  pad: () => tf.pad(x, [[0, 0], [2, 2], [0, 0]]).dispose(),
  gatherRows: (() => { const idx = tf.tensor1d(Int32Array.from({length: 4800}, (_, i) => Math.floor(i/300)*304 + i%300), 'int32'); return () => tf.gather(xf, idx).dispose(); })(),
  stridedSlice: () => tf.stridedSlice(x, [0, 0, 0], [16, 300, 640], [1, 3, 1]).dispose(),
  matMul: () => tf.matMul(xf, m).dispose(),
  mul: () => tf.mul(xf, xf).dispose(),
  add: () => tf.add(xf, xf).dispose(),
  transpose: () => tf.transpose(xf).dispose(),
  mean: () => tf.mean(xf, -1, true).dispose(),
};
const res: Record<string, number[]> = {};
for (let r = 0; r < 3; r++) for (const [k, f] of Object.entries(cases)) (res[k] ??= []).push(...(await timeIt(f, 3, 1)));
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(16), median(v).toFixed(2), 'ms');
