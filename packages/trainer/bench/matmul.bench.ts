// matMul throughput of the engines stnas can train on: wasm with 1 thread, wasm with one thread per
// core, the pure-JS cpu backend and (when installed) PyTorch. The wasm thread count is fixed once
// per process, so each engine runs in its own child process; the engines alternate round by round
// and the variants (plain, explicit transpose, transposeB) alternate inside each child.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '@tensorflow/tfjs-core';
import { markdownTable, median, record } from '../../../bench/report';

const K = 640;
const N = 640;
const ROUNDS = 3;
const REPS = 3;
const cores = os.availableParallelism();
const VARIANTS = ['plain', 'explicit transpose', 'transposeB=true'] as const;
type Variant = (typeof VARIANTS)[number];
type Times = Record<Variant, number[]>;

// Pure JS runs about 50x slower than wasm: fewer rows keep its run short (GFLOP/s hardly depends on M).
const rowsFor = (engine: string) => (engine === 'cpu' ? 256 : 4096);

async function child(engine: string): Promise<void> {
  const tf = await import('@tensorflow/tfjs-core');
  if (engine === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
  } else {
    const { setupWasmBackend } = await import('../src/backend/wasm-node');
    const info = await setupWasmBackend({ threads: Number(engine.split('-')[1]) });
    if (info.note) console.error(info.note);
  }
  tf.env().set('PROD', true);
  const M = rowsFor(engine);
  const a = tf.randomNormal([M, K], 0, 1, 'float32', 1);
  const w = tf.randomNormal([K, N], 0, 1, 'float32', 2);
  const wT = tf.transpose(w);
  const run: Record<Variant, () => Tensor> = {
    plain: () => tf.matMul(a, w),
    'explicit transpose': () => tf.tidy(() => tf.matMul(a, tf.transpose(wT))),
    'transposeB=true': () => tf.matMul(a, wT, false, true),
  };
  const times: Times = { plain: [], 'explicit transpose': [], 'transposeB=true': [] };
  for (let rep = -1; rep < REPS; rep++) {
    for (const v of VARIANTS) {
      const t0 = performance.now();
      const out = run[v]();
      out.dataSync();
      const ms = performance.now() - t0;
      out.dispose();
      if (rep >= 0) times[v].push(ms);
    }
  }
  process.stdout.write(`${JSON.stringify(times)}\n`);
}

function torchTimes(threads: number): Times | string {
  const script = `
import json, time, torch
torch.set_num_threads(${threads})
a = torch.randn(4096, ${K}); w = torch.randn(${K}, ${N}); wT = w.t().contiguous()
run = {"plain": lambda: a @ w, "explicit transpose": lambda: a @ wT.t().contiguous(), "transposeB=true": lambda: a @ wT.t()}
times = {k: [] for k in run}
for rep in range(-1, ${REPS * ROUNDS}):
    for k, f in run.items():
        t0 = time.perf_counter(); f(); ms = (time.perf_counter() - t0) * 1000
        if rep >= 0: times[k].append(ms)
print(json.dumps(times))`;
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on these machines for old OpenBLAS builds and slow
  // a current one down: unset both for the PyTorch side of the comparison only.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', env });
  if (r.status !== 0)
    return /No module named 'torch'|ENOENT/.test(`${r.stderr}${r.error}`)
      ? 'torch not installed'
      : `torch failed: ${r.stderr.trim().split('\n').pop()}`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Times;
}

async function main(): Promise<void> {
  const engines = ['wasm-1', `wasm-${cores}`, 'cpu'];
  const all: Record<string, Times> = {};
  for (const e of engines) all[e] = { plain: [], 'explicit transpose': [], 'transposeB=true': [] };
  const self = fileURLToPath(import.meta.url);
  for (let round = 0; round < ROUNDS; round++) {
    for (const e of engines) {
      const r = spawnSync(process.execPath, [...process.execArgv, self], {
        env: { ...process.env, STNAS_MATMUL_ENGINE: e },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (r.status !== 0) throw new Error(`the ${e} child failed with status ${r.status}`);
      const t = JSON.parse(r.stdout.trim().split('\n').pop()!) as Times;
      for (const v of VARIANTS) all[e]![v].push(...t[v]);
    }
  }
  const gflops = (M: number, ms: number) => ((2 * M * K * N) / (ms / 1000) / 1e9).toFixed(1);
  const label: Record<string, string> = {
    'wasm-1': 'tfjs wasm SIMD, 1 thread',
    [`wasm-${cores}`]: `tfjs wasm SIMD, ${cores} threads`,
    cpu: 'tfjs cpu (pure JS), [256,640]x[640,640]',
  };
  const rows: (string | number)[][] = engines.map((e) => [
    label[e]!,
    ...VARIANTS.map((v) => gflops(rowsFor(e), median(all[e]![v]))),
  ]);
  const torch = torchTimes(cores);
  rows.push(
    typeof torch === 'string'
      ? [`PyTorch CPU, ${cores} threads`, torch, torch, torch]
      : [`PyTorch CPU, ${cores} threads`, ...VARIANTS.map((v) => gflops(4096, median(torch[v])))],
  );
  const speedup = median(all['wasm-1']!.plain) / median(all[`wasm-${cores}`]!.plain);
  const body = markdownTable(['engine ([4096,640]x[640,640] unless noted), GFLOP/s', ...VARIANTS], rows);
  record(
    'trainer: matMul throughput by engine',
    body,
    `wasm ${cores} threads vs 1 thread on a plain matMul: ${speedup.toFixed(2)}x. Medians of ` +
      `${ROUNDS} rounds x ${REPS} runs; each engine in its own process (the wasm thread count is fixed per ` +
      'process), engines alternating by round and variants within each round.',
  );
}

const engine = process.env.STNAS_MATMUL_ENGINE;
await (engine ? child(engine) : main());
