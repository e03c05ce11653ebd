// matMul and TDNN throughput on wasm (XNNPACK), wasm+BLAS (this package's cblas_sgemm kernels)
// and PyTorch on the same cores. wasm and wasm+BLAS alternate by round in one process (the BLAS
// kernels are installed and removed between rounds); PyTorch runs before and after, 2 threads.
import { spawnSync } from 'node:child_process';
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { loadAverage, markdownTable, median, record } from '../../../bench/report';
import { tdnnGradStep } from '../../search-space/bench/tdnn-grad-step';
import { ENGINES, startWasmBlas, torchEnv } from './wasm-blas';

const [M, K, N] = [4096, 640, 640];
const [B, T, D, C] = [4, 1000, 640, 2];
const taps = 2 * C + 1;
const rounds = Number(process.env.STNAS_BENCH_ROUNDS ?? 4);

const torchScript = `
import json, time, torch
torch.set_num_threads(2)
M, K, N, B, T, D, C = ${M}, ${K}, ${N}, ${B}, ${T}, ${D}, ${C}
a = torch.randn(M, K); w = torch.randn(K, N); wT = w.t().contiguous()
x = torch.randn(B, D, T, requires_grad=True)
convs = {d: torch.nn.Conv1d(D, D, 2 * C + 1, padding=C * d, dilation=d) for d in (1, 2)}
def med(f, n):
    f(); ts = []
    for _ in range(n):
        t0 = time.perf_counter(); f(); ts.append((time.perf_counter() - t0) * 1000)
    ts.sort(); return ts[len(ts) // 2]
def tdnn(d):
    def f():
        y = torch.relu(convs[d](x)); y.sum().backward(); x.grad = None
        for p in convs[d].parameters(): p.grad = None
    return f
print(json.dumps({'mm': med(lambda: a @ w, 9), 'mmT': med(lambda: a @ wT.t(), 9), 'd1': med(tdnn(1), 5), 'd2': med(tdnn(2), 5)}))
`;
function torch(): Record<string, number> | string {
  const env = torchEnv(blas);
  const r = spawnSync('/usr/bin/python3', ['-c', torchScript], { encoding: 'utf8', env });
  if (r.status !== 0) return `torch failed: ${`${r.stderr}${r.error ?? ''}`.trim().split('\n').pop()}`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const load0 = loadAverage();
const { info, blas, use } = await startWasmBlas();
const torchBefore = torch();

const a = tf.randomNormal([M, K]) as tf.Tensor2D;
const w = tf.randomNormal([K, N]) as tf.Tensor2D;
const wT = tf.transpose(w) as tf.Tensor2D;
const x = tf.randomNormal([B, T, D]) as tf.Tensor3D;
const tw = tf.randomNormal([taps, D, D], 0, 0.02) as tf.Tensor3D;
const tb = tf.zeros([D]) as tf.Tensor1D;
const cases: Record<string, () => void> = {
  mm: () => tf.tidy(() => tf.matMul(a, w)).dispose(),
  mmT: () => tf.tidy(() => tf.matMul(a, wT, false, true)).dispose(),
  d1: () => tdnn(1),
  d2: () => tdnn(2),
};
function tdnn(dilation: number): void {
  tdnnGradStep(x, tw, tb, { halfContext: C, stride: 1, dilation });
}
// wasm kernels run synchronously, so a call's wall time is its compute time.
const engines = ENGINES;
const times: Record<string, number[]> = {};
for (let r = 0; r <= rounds; r++) {
  for (const engine of r % 2 ? [...engines].reverse() : engines) {
    use(engine);
    for (const [name, f] of Object.entries(cases)) {
      const reps = name.startsWith('mm') ? 3 : 1;
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        f();
        if (r > 0) (times[`${engine}/${name}`] ??= []).push(performance.now() - t0);
      }
    }
  }
}
use('wasm');
const torchAfter = torch();
const torchRuns = [torchBefore, torchAfter].filter((t): t is Record<string, number> => typeof t !== 'string');
const mmFlops = 2 * M * K * N;
const tdnnFlops = 3 * 2 * B * T * taps * D * D;
const gf = (flops: number, ms: number | undefined) => (ms ? (flops / (ms * 1e6)).toFixed(1) : '-');
const torchMs = (k: string) => (torchRuns.length ? median(torchRuns.map((t) => t[k]!)) : undefined);
const row = (label: string, ms: (k: string) => number | undefined) => [
  label,
  gf(mmFlops, ms('mm')),
  gf(mmFlops, ms('mmT')),
  gf(tdnnFlops, ms('d1')),
  gf(tdnnFlops, ms('d2')),
  ms('d1')?.toFixed(0) ?? '-',
];
const rows = [
  row(`tfjs wasm (XNNPACK), ${info.threads} thread(s)`, (k) => median(times[`wasm/${k}`]!)),
  row(`tfjs wasm + ${blas.vendor} BLAS, ${blas.threads} thread(s)`, (k) => median(times[`wasm+BLAS/${k}`]!)),
  row('PyTorch CPU, 2 threads', torchMs),
];
const speedup = median(times['wasm/d1']!) / median(times['wasm+BLAS/d1']!);
record(
  'engine: matMul and TDNN throughput, wasm vs wasm+BLAS vs PyTorch',
  markdownTable(
    [
      'engine, GFLOP/s',
      `matMul [${M},${K}]x[${K},${N}]`,
      'same, transposeB',
      `TDNN C2D1 fwd+bwd`,
      `TDNN C2D2 fwd+bwd`,
      'TDNN C2D1 ms',
    ],
    rows,
  ),
  `TDNN: batch ${B} x ${T} frames, ${D} -> ${D}, kernel ${taps}, ReLU; effective FLOPs 3 x 2·N·K·D² (forward, dx, dW); PyTorch's is nn.Conv1d + relu, backward to input and weights. wasm+BLAS TDNN C2D1 is ${speedup.toFixed(2)}x wasm. Medians of ${rounds} rounds (matMul 3 runs per round) alternating the two engines in one process; PyTorch ${torchRuns.length ? 'median of the runs before and after' : String(torchBefore)}, with the same OPENBLAS_CORETYPE (its matMuls go through the same OpenBLAS; its conv1d through oneDNN). BLAS ${blas.library} (${blas.config})${blas.note ? `, ${blas.note}` : ''}. Load average ${load0} at start, ${loadAverage()} at the end.`,
);
