// Where the time of a supernet step goes on the wasm backend: one warmup, weight and ST arch step
// of the MFRNet supernet under tf.profile, kernel time summed by kernel name. Dims:
// STNAS_BENCH_DIM (default 640), batch 16 x 300 frames, input 120, 72 classes.
// The union package registers TF.js's gradients in Node (tfjs-core alone does not).
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { markdownTable, record } from '../../../bench/report';
import { startWasm } from './start-wasm';
import { benchSupernet, type StepMode } from './supernet-step';

const dim = Number(process.env.STNAS_BENCH_DIM ?? 640);
const info = await startWasm();
const { net, batch, frames, loss, variables } = benchSupernet(dim);
type Mode = StepMode;
// The same step as supernet.bench.ts (stand-in loss; optimizer excluded: it is the same per weight
// in both engines).
const step = (mode: Mode) => {
  const { value, grads } = tf.variableGrads(loss(mode), variables(mode));
  value.dataSync();
  tf.dispose([value, ...Object.values(grads)]);
};
step('warmup'); // compile and allocate once
const byKernel = new Map<string, number[]>();
const wall: number[] = [];
const modes: Mode[] = ['warmup', 'train', 'search'];
for (const [m, mode] of modes.entries()) {
  const t0 = performance.now();
  const prof = await tf.profile(() => step(mode));
  wall.push(performance.now() - t0);
  for (const k of prof.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const row = byKernel.get(k.name) ?? [0, 0, 0];
    row[m]! += ms;
    byKernel.set(k.name, row);
  }
}
const total = modes.map((_, m) => [...byKernel.values()].reduce((s, r) => s + r[m]!, 0));
const rows = [...byKernel.entries()]
  .sort((a, b) => b[1].reduce((s, v) => s + v, 0) - a[1].reduce((s, v) => s + v, 0))
  .slice(0, 14)
  .map(([name, r]) => [
    name,
    ...r.map((ms, m) => `${Math.round(ms)} (${((ms / total[m]!) * 100).toFixed(0)}%)`),
  ]);
rows.push(['all kernels', ...total.map((t) => String(Math.round(t)))]);
rows.push(['wall clock', ...wall.map((t) => String(Math.round(t)))]);
record(
  `search-space: where the supernet step time goes (wasm, ${process.env.STNAS_PROFILE_LABEL ?? 'after'})`,
  markdownTable(['kernel', 'warmup ms (share)', 'weight ms (share)', 'arch ms (share)'], rows),
  `tf.profile of one step each, ${dim} units, batch ${batch} x ${frames}, no optimizer; wasm SIMD ${info.simd}, ${info.threads} thread(s). Kernel times are wall-clock per kernel call on a shared machine; 'forward' and 'unnamed scope' are customGrad scopes that contain other kernels. tf.profile adds per-kernel overhead, so it overstates kernel-heavy code: compare speed with supernet.bench.ts.`,
);
net.dispose();
