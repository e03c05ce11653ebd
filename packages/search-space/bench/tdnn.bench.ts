// Forward + backward of one TDNN op at the paper's dims (4,000 frames, 640 -> 640, kernel 5) on the
// wasm backend, in effective GFLOP/s, beside the backend's plain matMul at the same size. The two
// are timed alternately in one run; medians are reported.
// The union package registers TF.js's gradients in Node (tfjs-core alone does not).
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { markdownTable, median, record, timeIt } from '../../../bench/report';
import { startWasm } from './start-wasm';
import { tdnnGradStep } from './tdnn-grad-step';

const info = await startWasm();
const [B, T, D, C] = [4, 1000, 640, 2];
const K = 2 * C + 1;
const x = tf.randomNormal([B, T, D]) as tf.Tensor3D;
const b = tf.zeros([D]) as tf.Tensor1D;
const w = tf.randomNormal([K, D, D], 0, 0.02) as tf.Tensor3D;
const a2 = tf.randomNormal([B * T, D]) as tf.Tensor2D;
const m2 = tf.randomNormal([D, D]) as tf.Tensor2D;

const tdnnStep = (dilation: number) => () => tdnnGradStep(x, w, b, { halfContext: C, stride: 1, dilation });
const mm = () => {
  const y = tf.matMul(a2, m2);
  y.dataSync();
  y.dispose();
};
// One TDNN forward = K matMuls of [N, D] x [D, D]; backward = 2K more (dW and dx).
const tdnnFlops = 3 * 2 * B * T * K * D * D;
const mmFlops = 2 * B * T * D * D;
const times: Record<string, number[]> = { d1: [], d2: [], mm: [] };
for (let round = 0; round < 4; round++) {
  times.mm!.push(...(await timeIt(mm, 3, round === 0 ? 1 : 0)));
  times.d1!.push(...(await timeIt(tdnnStep(1), 1, round === 0 ? 1 : 0)));
  times.d2!.push(...(await timeIt(tdnnStep(2), 1, round === 0 ? 1 : 0)));
}
const gf = (flops: number, ms: number) => (flops / (ms * 1e6)).toFixed(1);
const mmG = mmFlops / (median(times.mm!) * 1e6);
const rows = [
  ['plain matMul [4000,640]x[640,640]', median(times.mm!).toFixed(1), gf(mmFlops, median(times.mm!)), '100%'],
  ...(['d1', 'd2'] as const).map((k) => {
    const ms = median(times[k]!);
    return [
      `TDNN C2${k.toUpperCase()} fwd+bwd`,
      ms.toFixed(1),
      gf(tdnnFlops, ms),
      `${((tdnnFlops / (ms * 1e6) / mmG) * 100).toFixed(0)}%`,
    ];
  }),
];
record(
  'search-space: TDNN op forward+backward (wasm)',
  markdownTable(['what', 'ms (median)', 'GFLOP/s', 'of matMul'], rows),
  `wasm SIMD ${info.simd}, ${info.threads} thread(s). Batch 4 x 1000 frames, 640 -> 640, kernel 5; effective FLOPs = 3 x 2·N·K·D² (forward, dW, dx). Goal: at least 70% of the plain matMul figure.`,
);
