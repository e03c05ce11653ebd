// A full ST-NAS supernet step (warmup, weight and ST arch steps) on the wasm backend in frames/s,
// against the same network in PyTorch on CPU (bench/torch_stnas_step.py beside this file, Debian
// python3-torch) run before and after ours in the same run. Dims: STNAS_BENCH_DIM (default 640).
// The union package registers TF.js's gradients in Node (tfjs-core alone does not).
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { markdownTable, median, record, timeIt } from '../../../bench/report';
import { startWasm } from './start-wasm';
import { benchSupernet, STEP_KINDS, type StepMode } from './supernet-step';
import { torchSteps } from './torch-steps';

const dim = Number(process.env.STNAS_BENCH_DIM ?? 640);
const steps = Number(process.env.STNAS_BENCH_STEPS ?? 3);
const torch = () => torchSteps({ dim, steps });

const torchBefore = torch();
const info = await startWasm();
const { net, batch, frames, loss, variables } = benchSupernet(dim);
const optW = tf.train.adam(1e-3);
const optA = tf.train.adam(5e-3);
const step = (mode: StepMode) => () => {
  const vars = variables(mode);
  const { value, grads } = tf.variableGrads(loss(mode), vars);
  // tf.train.adam keys its moments by position in the gradient map, so every call must list the
  // same variables in the same order: unused candidates get zero gradients (timing only).
  const full: Record<string, tf.Tensor> = {};
  for (const v of vars) full[v.name] = grads[v.name] ?? tf.zerosLike(v);
  (mode === 'search' ? optA : optW).applyGradients(full as Record<string, tf.Variable>);
  value.dataSync();
  tf.dispose([value, ...Object.values(full)]);
};
const ours: Record<string, number> = {};
for (const [kind, mode] of STEP_KINDS) {
  ours[kind] = (batch * frames) / (median(await timeIt(step(mode), steps, 1)) / 1000);
}
const torchAfter = torch();
const rows = (['warmup', 'weight', 'arch'] as const).map((k) => {
  const t = [torchBefore, torchAfter]
    .filter((r): r is Record<string, number> => typeof r !== 'string')
    .map((r) => r[k]!);
  const tf0 = t.length ? median(t) : undefined;
  return [
    k,
    Math.round(ours[k]!),
    tf0 ? Math.round(tf0) : typeof torchBefore === 'string' ? torchBefore : 'n/a',
    tf0 ? (ours[k]! / tf0).toFixed(2) : '-',
  ];
});
record(
  'search-space: supernet step (wasm vs PyTorch CPU)',
  markdownTable(['step', 'stnas wasm frames/s', 'PyTorch CPU frames/s', 'ratio stnas/PyTorch'], rows),
  `MFRNet of 6 blocks x 4 TDNN candidates (${dim} units), batch ${batch} x ${frames} frames, Adam; median of ${steps} steps. wasm SIMD ${info.simd}, ${info.threads} thread(s); PyTorch 2 threads, median of the runs before and after ours. The stnas loss is a stand-in (mean square of the log-softmax), PyTorch's is CTC.`,
);
net.dispose();
