// The 640-unit ST-NAS supernet's warmup, weight and architecture steps on wasm (XNNPACK) and
// wasm+BLAS (this package's cblas_sgemm kernels) in one process, alternating by round, against
// PyTorch on the same 2 cores (search-space/bench/torch_stnas_step.py) run before and after ours.
// STNAS_BENCH_DIM (default 640), STNAS_BENCH_STEPS (default 3), STNAS_BENCH_PROFILE=1 adds a
// per-kernel profile of each wasm+BLAS step.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { loadAverage, markdownTable, median, record } from '../../../bench/report';
import { benchSupernet, STEP_KINDS, type StepMode } from '../../search-space/bench/supernet-step';
import { torchSteps } from '../../search-space/bench/torch-steps';
// The trainer's Adam, as stnas trains: it skips the candidates a step did not use (PyTorch 1.13's
// zero_grad() leaves zero gradients, so the PyTorch side updates every candidate).
import { createAdam } from '../../trainer/src/training/adam';
import { ENGINES, startWasmBlas, torchEnv } from './wasm-blas';

const dim = Number(process.env.STNAS_BENCH_DIM ?? 640);
const steps = Number(process.env.STNAS_BENCH_STEPS ?? 3);
const torch = () => torchSteps({ dim, steps, env: torchEnv(blas) });

const load0 = loadAverage();
const { info, blas, use } = await startWasmBlas();
const torchBefore = torch();
const { net, batch, frames, loss, variables } = benchSupernet(dim);
const adamW = createAdam({ lr: 1e-3 });
const adamA = createAdam({ lr: 5e-3 });
const stateW = adamW.init();
const stateA = adamA.init();
const step = (mode: StepMode) => {
  const vars = variables(mode);
  const { value, grads } = tf.variableGrads(loss(mode), vars);
  if (mode === 'search') adamA.update(vars, grads, stateA);
  else adamW.update(vars, grads, stateW);
  value.dataSync();
  tf.dispose([value, ...Object.values(grads)]);
};
const kinds = STEP_KINDS;
const engines = ENGINES;
const times: Record<string, number[]> = {};
// One untimed step of each kind per engine, then rounds alternating the engines.
for (const engine of engines) {
  use(engine);
  for (const [, mode] of kinds) step(mode);
}
for (let r = 0; r < steps; r++) {
  for (const engine of r % 2 ? [...engines].reverse() : engines) {
    use(engine);
    for (const [kind, mode] of kinds) {
      const t0 = performance.now();
      step(mode);
      (times[`${engine}/${kind}`] ??= []).push(performance.now() - t0);
    }
  }
}
const torchAfter = torch();
const profiles: string[] = [];
if (process.env.STNAS_BENCH_PROFILE) {
  use('wasm+BLAS');
  for (const [kind, mode] of kinds) {
    const byKernel = new Map<string, number>();
    const p = await tf.profile(() => step(mode));
    for (const k of p.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
    const top = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    profiles.push(
      `${kind}: ${top.map(([k, ms]) => `${k} ${Math.round(ms)} ms (${Math.round((100 * ms) / total)}%)`).join(', ')}`,
    );
  }
}
const fps = (ms: number[]) => (batch * frames) / (median(ms) / 1000);
const torchRuns = [torchBefore, torchAfter].filter((r): r is Record<string, number> => typeof r !== 'string');
const rows = kinds.map(([kind]) => {
  const w = fps(times[`wasm/${kind}`]!);
  const b = fps(times[`wasm+BLAS/${kind}`]!);
  const t = torchRuns.length ? median(torchRuns.map((r) => r[kind]!)) : undefined;
  return [
    kind,
    Math.round(w),
    Math.round(b),
    (b / w).toFixed(2),
    t ? Math.round(t) : String(torchBefore),
    t ? (w / t).toFixed(2) : '-',
    t ? (b / t).toFixed(2) : '-',
  ];
});
record(
  'engine: 640-unit supernet step, wasm+BLAS vs wasm vs PyTorch',
  markdownTable(
    [
      'step',
      'wasm frames/s',
      'wasm+BLAS frames/s',
      'BLAS / wasm',
      'PyTorch frames/s',
      'wasm / PyTorch',
      'wasm+BLAS / PyTorch',
    ],
    rows,
  ),
  `MFRNet of 6 blocks x 4 TDNN candidates (${dim} units), batch ${batch} x ${frames} frames, the trainer's Adam, which skips the candidates a step did not use (PyTorch 1.13's zero_grad() keeps zero gradients, so its Adam updates every candidate), stand-in loss (mean square of the log-softmax; PyTorch's is CTC). Medians of ${steps} steps per engine, the two engines alternating by round in one process; load average ${load0} at start, ${loadAverage()} at the end. wasm SIMD ${info.simd}, ${info.threads} thread(s); BLAS ${blas.library} (${blas.config}), ${blas.threads} thread(s)${blas.note ? `, ${blas.note}` : ''}. PyTorch ${torchRuns.length ? 'median of the runs before and after ours' : String(torchBefore)}, 2 threads, with the same OPENBLAS_CORETYPE.${profiles.length ? `\n\nwasm+BLAS kernel time (tf.profile, top 8): ${profiles.join('; ')}` : ''}`,
);
net.dispose();
