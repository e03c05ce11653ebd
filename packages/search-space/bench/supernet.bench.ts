// A full ST-NAS supernet step (warmup, weight and ST arch steps) on the wasm backend in frames/s,
// against the same network in PyTorch on CPU (bench/torch_stnas_step.py beside this file, Debian
// python3-torch) run before and after ours in the same run. Dims: STNAS_BENCH_DIM (default 640).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEstimator, createRng } from '@stnas/st-estimator';
// The union package registers TF.js's gradients in Node (tfjs-core alone does not).
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { markdownTable, median, record, timeIt } from '../../../bench/report';
import { buildSupernet, WSJ_STNAS_CONFIG } from '../src/index';

const dim = Number(process.env.STNAS_BENCH_DIM ?? 640);
const [batch, frames, steps] = [16, 300, Number(process.env.STNAS_BENCH_STEPS ?? 3)];
const script = fileURLToPath(new URL('./torch_stnas_step.py', import.meta.url));

function torch(): Record<string, number> | string {
  if (!existsSync('/usr/bin/python3') || !existsSync(script)) return 'torch not installed';
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [script, '--dim', String(dim), '--steps', String(steps), '--threads', '2'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const res: Record<string, number> = {};
    for (const line of out.trim().split('\n')) {
      const j = JSON.parse(line) as { step: string; frames_per_s: number };
      res[j.step] = j.frames_per_s;
    }
    return res;
  } catch (e) {
    return /No module named 'torch'/.test(String((e as { stderr?: string }).stderr))
      ? 'torch not installed'
      : `torch failed: ${String(e).split('\n')[0]}`;
  }
}

const torchBefore = torch();
// The trainer owns wasm start-up in Node (offline binaries, threads); loaded by path so this
// package's typecheck does not compile the trainer's sources.
const wasmNode = '../../trainer/src/backend/wasm-node';
const { setupWasmBackend } = (await import(wasmNode)) as {
  setupWasmBackend: () => Promise<{ simd: boolean; threads: number }>;
};
const info = await setupWasmBackend();
await tf.setBackend('wasm');
const config = {
  ...WSJ_STNAS_CONFIG,
  net_configs: { ...WSJ_STNAS_CONFIG.net_configs, odims: [dim], idim_sub: dim, odim_sub: dim },
};
const net = buildSupernet(config);
const x = tf.randomNormal([batch, frames, 120]) as tf.Tensor3D;
const lengths = new Array(batch).fill(frames);
const rng = createRng(0);
const st = createEstimator('st');
const optW = tf.train.adam(1e-3);
const optA = tf.train.adam(5e-3);
// Stand-in loss (mean square of the log-softmax); the CTC of @stnas/ctc costs little beside the net.
const loss = (mode: 'warmup' | 'train' | 'search') => () =>
  tf.mean(
    tf.square(tf.logSoftmax(net.apply(x, lengths, { mode, rng, estimator: st, training: true }).logits)),
  ) as tf.Scalar;
const step = (mode: 'warmup' | 'train' | 'search') => () => {
  const vars = mode === 'search' ? net.archVariables() : net.weightVariables();
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
for (const [kind, mode] of [
  ['warmup', 'warmup'],
  ['weight', 'train'],
  ['arch', 'search'],
] as const) {
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
