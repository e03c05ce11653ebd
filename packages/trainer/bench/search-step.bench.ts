// Time and memory of one search step (architecture step on one batch + weight step on another)
// for the st, gdas, snas, darts and leg (local expectation gradient) estimators in TF.js, and the same network's ST step in PyTorch
// on CPU. Rounds alternate the candidates; medians are reported. `STNAS_BENCH_QUICK=1` shrinks it.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ctcLoss } from '@stnas/ctc';
import { buildSupernet, type StnasConfig } from '@stnas/search-space';
import { createEstimator, createRng, type EstimatorName } from '@stnas/st-estimator';
import {
  type Batch,
  createAdam,
  createObjective,
  legUpdate,
  safeUpdate,
  selectBackend,
} from '@stnas/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { markdownTable, median, record } from '../../../bench/report';

const quick = process.env.STNAS_BENCH_QUICK === '1';
const UNITS = 128;
const BLOCKS = 4;
const B = quick ? 4 : 16;
const T = quick ? 60 : 300;
const ROUNDS = quick ? 2 : 5;
const here = path.dirname(fileURLToPath(import.meta.url));

const config: StnasConfig = {
  candidate: { base: ['tdnn-C1D1Nln', 'tdnn-C1D2Nln', 'tdnn-C2D1Nln', 'tdnn-C2D2Nln'] },
  net: 'MFRNet',
  net_configs: {
    block_list: [BLOCKS],
    pos_subsample: BLOCKS / 2,
    idim_sub: UNITS,
    odim_sub: UNITS,
    dropout_sub: 0.1,
    idim: 120,
    odims: [UNITS],
    num_classes: 41,
    dropout: 0.1,
  },
};

function torchAvailable(): string | undefined {
  try {
    return execFileSync('/usr/bin/python3', ['-c', 'import torch;print(torch.__version__)'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

const sel = await selectBackend('auto');
const model = buildSupernet(config, { seed: 0 });
const rng = createRng(0);
const x1 = tf.randomNormal([B, T, 120], 0, 1, 'float32', 1) as tf.Tensor3D;
const x2 = tf.randomNormal([B, T, 120], 0, 1, 'float32', 2) as tf.Tensor3D;
const lens = Array(B).fill(T);
const labels = Array.from({ length: B }, (_, b) =>
  Int32Array.from({ length: 20 }, (_, i) => 1 + ((b * 7 + i * 3) % 40)),
);
const wAdam = createAdam({ lr: 1e-3 });
const aAdam = createAdam({ lr: 5e-3 });
const wState = wAdam.init();
const aState = aAdam.init();
const weights = model.weightVariables();
const arch = model.archVariables();
const loss = (x: tf.Tensor3D, opts: Parameters<typeof model.apply>[2]) => () =>
  tf.tidy(() => {
    const o = model.apply(x, lens, opts);
    return tf.div(
      ctcLoss(o.logits, labels, o.lengths, { reduction: 'sum', zeroInfinity: true }),
      B,
    ) as tf.Scalar;
  });
const estimators: (EstimatorName | 'leg')[] = ['st', 'gdas', 'snas', 'darts', 'leg'];
const est = Object.fromEntries(
  estimators.filter((n) => n !== 'leg').map((n) => [n, createEstimator(n as EstimatorName)]),
);
// The local expectation gradient evaluates whole paths through the stage objective (the same CTC).
const batch1: Batch = {
  keys: lens.map((_, b) => `u${b}`),
  x: x1.dataSync() as Float32Array,
  shape: [B, T, 120],
  lengths: lens,
  labels,
  frames: B * T,
};
const objective = createObjective({
  loss: 'ctc',
  crfLambda: null,
  crfOrder: null,
  specAugment: null,
  speedPerturb: null,
});
const archStep = (n: EstimatorName | 'leg') =>
  n === 'leg'
    ? legUpdate(model, batch1, objective, rng, aAdam, aState, 5e-3)
    : safeUpdate(
        loss(x1, { mode: 'search', rng, estimator: est[n], training: true }),
        arch,
        aAdam,
        aState,
        5e-3,
      );
const weightStep = () =>
  safeUpdate(loss(x2, { mode: 'train', rng, training: true }), weights, wAdam, wState, 1e-3);

const torch = torchAvailable();
const ms: Record<string, { arch: number[]; weight: number[]; peak: number[] }> = {};
for (const n of estimators) ms[n] = { arch: [], weight: [], peak: [] };
const torchRuns: { arch: number; weight: number; search: number; peakRssMB: number }[] = [];
for (const n of estimators) archStep(n); // warm up kernels
weightStep();
for (let r = 0; r < ROUNDS; r++) {
  for (const n of estimators) {
    let t0 = performance.now();
    const prof = await tf.profile(() => {
      archStep(n);
    });
    ms[n]!.arch.push(performance.now() - t0);
    ms[n]!.peak.push(prof.peakBytes);
    t0 = performance.now();
    weightStep();
    ms[n]!.weight.push(performance.now() - t0);
  }
  if (torch) {
    const res = spawnSync(
      '/usr/bin/python3',
      [
        path.join(here, 'torch_search_step.py'),
        String(UNITS),
        String(BLOCKS),
        String(B),
        String(T),
        '1',
        '2',
      ],
      { encoding: 'utf8' },
    );
    if (res.status === 0) torchRuns.push(JSON.parse(res.stdout.trim().split('\n').at(-1)!));
  }
}

const frames = 2 * B * T;
const rows: (string | number)[][] = estimators.map((n) => {
  const a = median(ms[n]!.arch);
  const w = median(ms[n]!.weight);
  return [
    `TF.js ${sel.backend} (${sel.threads} thread${sel.threads > 1 ? 's' : ''}), ${n}`,
    a.toFixed(0),
    w.toFixed(0),
    (a + w).toFixed(0),
    Math.round(frames / ((a + w) / 1000)),
    `${(median(ms[n]!.peak) / 2 ** 20).toFixed(0)} MB tensors`,
  ];
});
const st = median(ms.st!.arch) + median(ms.st!.weight);
let ratio = 'torch not installed';
if (torch && torchRuns.length) {
  const a = median(torchRuns.map((t) => t.arch));
  const w = median(torchRuns.map((t) => t.weight));
  rows.push([
    `PyTorch ${torch} CPU (2 threads), st`,
    a.toFixed(0),
    w.toFixed(0),
    (a + w).toFixed(0),
    Math.round(frames / ((a + w) / 1000)),
    `${median(torchRuns.map((t) => t.peakRssMB)).toFixed(0)} MB peak RSS`,
  ]);
  ratio = `TF.js st search step / PyTorch: ${(st / (a + w)).toFixed(2)}x the time`;
} else {
  rows.push(['PyTorch CPU', 'torch not installed', '', '', '', '']);
}
const table = markdownTable(
  ['engine, estimator', 'arch step ms', 'weight step ms', 'search step ms', 'frames/s', 'memory'],
  rows,
);
const notes =
  `Supernet: MFRNet of ${BLOCKS} blocks x 4 TDNN candidates (C1D1, C1D2, C2D1, C2D2), ${UNITS} units, stride-3 TDNN after block ${BLOCKS / 2}, 41 outputs; ` +
  `batch ${B} x ${T} frames x 120 dims, CTC; a search step is an architecture step on one batch plus a weight step on another (frames/s counts both). ` +
  `leg evaluates the sampled path and each path one node away from it: 1 + ${BLOCKS} x 3 forward passes, no backward. ` +
  `Medians of ${ROUNDS} alternating rounds. TF.js memory is tf.profile peakBytes of the architecture step (tensors only); PyTorch's is the process peak RSS. ${ratio}.` +
  (quick ? ' QUICK RUN (STNAS_BENCH_QUICK=1): shapes shrunk, not a result.' : '');
record('trainer: search step (st, gdas, snas, darts, leg) against PyTorch', table, notes);
if (process.env.STNAS_RESULTS_JSON) {
  writeFileSync(process.env.STNAS_RESULTS_JSON, JSON.stringify({ table, notes }));
}
