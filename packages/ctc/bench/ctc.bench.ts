// CTC loss + gradient for batch 32 x 300 frames x 72 classes with 60-label targets, against
// PyTorch's CPU ctc_loss (2 threads) in the same run, alternating; then the prefix beam search's
// utterances per second at beam 8 and 32.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { markdownTable, median, record } from '../../../bench/report';
import { ctcForwardBackward } from '../src/ctc-forward-backward';
import { ctcLoss, parseArpa, prefixBeamSearch, sharedCtcPool } from '../src/index';
import { mulberry32 as rng } from '../src/mulberry32';

const here = path.dirname(fileURLToPath(import.meta.url));
const B = 32;
const T = 300;
const C = 72;
const U = 60;
const REPS = 15;

const r = rng(2021);
const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** A persistent PyTorch process answering one timed run per request, or undefined without torch. */
async function startTorch(dataPath: string): Promise<((n: number) => Promise<[number, number]>) | undefined> {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return undefined;
  const child = spawn(
    python,
    [path.join(here, 'torch-ctc-server.py'), dataPath, `${B}`, `${T}`, `${C}`, `${U}`],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const queue: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  lines.on('line', (l) => queue.shift()?.resolve(l));
  child.on('exit', (code) => {
    for (const q of queue.splice(0)) q.reject(new Error(`torch exited with ${code}`));
  });
  const nextLine = () => new Promise<string>((resolve, reject) => queue.push({ resolve, reject }));
  try {
    const ready = await nextLine();
    console.log(ready);
  } catch {
    return undefined;
  }
  process.on('exit', () => child.kill());
  return async () => {
    child.stdin.write('run\n');
    const [ms, loss] = (await nextLine()).split(' ').map(Number);
    return [ms!, loss!];
  };
}

async function lossBenchmark(): Promise<string> {
  await tf.setBackend('cpu');
  const logitsData = Float32Array.from({ length: B * T * C }, () => 2 * gauss());
  const targets = Array.from({ length: B }, () =>
    Int32Array.from({ length: U }, () => 1 + Math.floor(r() * (C - 1))),
  );
  const inputLengths = new Array<number>(B).fill(T);
  const dir = mkdtempSync(path.join(tmpdir(), 'ctc-bench-'));
  const dataPath = path.join(dir, 'logits.f32');
  writeFileSync(dataPath, logitsData);
  const flatTargets = new Int32Array(B * U);
  for (const [b, t] of targets.entries()) flatTargets.set(t, b * U);
  writeFileSync(`${dataPath}.targets`, flatTargets);
  const torchRun = await startTorch(dataPath);

  const logits = tf.tensor3d(logitsData, [B, T, C]);
  const lossAndGrad = tf.valueAndGrad((x: tf.Tensor) => ctcLoss(x, targets, inputLengths));
  const ours = () => {
    const t0 = performance.now();
    const { value, grad } = lossAndGrad(logits);
    grad.dataSync();
    const loss = value.dataSync()[0]!;
    tf.dispose([value, grad]);
    return [performance.now() - t0, loss] as const;
  };
  const batch = {
    data: logitsData,
    batch: B,
    time: T,
    classes: C,
    targets,
    inputLengths,
    blank: 0,
    scores: 'logits' as const,
  };
  const kernel = () => {
    const t0 = performance.now();
    ctcForwardBackward(batch);
    return performance.now() - t0;
  };
  const pooled = () => {
    const t0 = performance.now();
    sharedCtcPool().run(batch);
    return performance.now() - t0;
  };
  const lossOnly = () => {
    const t0 = performance.now();
    ctcForwardBackward(batch, { grad: false });
    return performance.now() - t0;
  };
  // warm-up (and let the pool's worker start)
  for (let i = 0; i < 5; i++) {
    pooled();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  ours();
  kernel();
  lossOnly();
  if (torchRun) await torchRun(0);
  const t: Record<string, number[]> = { ours: [], kernel: [], pooled: [], lossOnly: [], torch: [] };
  let ourLoss = 0;
  let torchLoss = Number.NaN;
  for (let i = 0; i < REPS; i++) {
    const [ms, l] = ours();
    t.ours!.push(ms);
    ourLoss = l;
    t.kernel!.push(kernel());
    t.pooled!.push(pooled());
    t.lossOnly!.push(lossOnly());
    if (torchRun) {
      const [tms, tl] = await torchRun(i);
      t.torch!.push(tms);
      torchLoss = tl;
    }
  }
  logits.dispose();
  rmSync(dir, { recursive: true, force: true });
  const torchMs = torchRun ? median(t.torch!) : Number.NaN;
  const row = (name: string, ms: number) => [
    name,
    ms.toFixed(2),
    Number.isNaN(torchMs) ? 'torch not installed' : `${(torchMs / ms).toFixed(2)}x`,
  ];
  const table = markdownTable(
    ['loss + gradient, 32 x 300 x 72, 60 labels, reduction mean', 'median ms', 'speed-up over PyTorch'],
    [
      row(
        `@stnas/ctc \`ctcLoss\` under \`tf.valueAndGrad\` (cpu backend, main thread + ${sharedCtcPool().threads} worker)`,
        median(t.ours!),
      ),
      row('@stnas/ctc forward-backward kernel alone (typed arrays, 1 thread)', median(t.kernel!)),
      row(
        `@stnas/ctc kernel on the worker pool (main thread + ${sharedCtcPool().threads} worker)`,
        median(t.pooled!),
      ),
      row('@stnas/ctc kernel, loss only (no gradient)', median(t.lossOnly!)),
      torchRun
        ? ['PyTorch `log_softmax` + `ctc_loss` + backward, float32, 2 threads', torchMs.toFixed(2), '1.00x']
        : ['PyTorch', 'torch not installed', 'torch not installed'],
    ],
  );
  const agree = torchRun
    ? `Mean loss: ours ${ourLoss.toPrecision(9)}, PyTorch ${torchLoss.toPrecision(9)} (relative difference ${(Math.abs(ourLoss - torchLoss) / torchLoss).toExponential(1)}).`
    : '';
  return `${table}\n\n${REPS} alternating runs each after a warm-up; ${agree}`;
}

/** Peaky posteriors like a trained model's: one class takes most of the mass, blank half the time. */
function peakyLogProbs(n: number): Float32Array {
  const out = new Float32Array(n * T * C);
  for (let f = 0; f < n * T; f++) {
    const top = r() < 0.5 ? 0 : 1 + Math.floor(r() * (C - 1));
    let sum = 0;
    const row = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      row[c] = Math.exp(gauss() + (c === top ? 6 : 0));
      sum += row[c]!;
    }
    for (let c = 0; c < C; c++) out[f * C + c] = Math.log(row[c]! / sum);
  }
  return out;
}

/** A phone bigram ARPA model over the 71 non-blank classes, with random probabilities. */
function bigramArpa(): string {
  const words = Array.from({ length: C - 1 }, (_, k) => String(k + 1));
  const uni = [`-99 <s> -0.3`, `-1.5 </s>`, ...words.map((w) => `${(-1 - r()).toFixed(4)} ${w} -0.3`)];
  const bi: string[] = [];
  for (const a of ['<s>', ...words]) {
    for (let k = 0; k < 10; k++)
      bi.push(`${(-0.5 - r()).toFixed(4)} ${a} ${words[Math.floor(r() * words.length)]}`);
  }
  const uniqueBi = [...new Map(bi.map((l) => [l.split(' ').slice(1).join(' '), l])).values()];
  return `\\data\\\nngram 1=${uni.length}\nngram 2=${uniqueBi.length}\n\n\\1-grams:\n${uni.join('\n')}\n\n\\2-grams:\n${uniqueBi.join('\n')}\n\n\\end\\\n`;
}

function beamBenchmark(): string {
  const n = 8;
  const lp = { data: peakyLogProbs(n), shape: [n, T, C] as [number, number, number] };
  const lengths = new Array<number>(n).fill(T);
  const lm = parseArpa(bigramArpa(), 'bench-bigram.arpa');
  const rows: (string | number)[][] = [];
  for (const beamWidth of [8, 32]) {
    for (const withLm of [false, true]) {
      const opts = withLm ? { beamWidth, lm, lmWeight: 0.5 } : { beamWidth };
      prefixBeamSearch({ data: lp.data.subarray(0, T * C), shape: [1, T, C] }, [T], opts);
      const times: number[] = [];
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        prefixBeamSearch(lp, lengths, opts);
        times.push(performance.now() - t0);
      }
      const perUtt = median(times) / n;
      rows.push([
        beamWidth,
        withLm ? 'phone bigram, weight 0.5' : 'none',
        (1000 / perUtt).toFixed(1),
        perUtt.toFixed(1),
      ]);
    }
  }
  return `${markdownTable(['beam', 'LM', 'utterances / s', 'ms / utterance'], rows)}\n\nPrefix beam search on ${n} synthetic utterances of ${T} frames x ${C} classes with peaky posteriors (one class boosted by 6 nats, blank half the time), default pruning (classes within 20 nats of the frame's best).`;
}

const lossTable = await lossBenchmark();
const beamTable = beamBenchmark();
record(
  'CTC loss and decoders (@stnas/ctc)',
  `${lossTable}\n\n${beamTable}`,
  '`ctcLoss` splits the CTC forward-backward of a large batch by utterance between the main thread and a persistent pool of worker threads (one per extra core) over SharedArrayBuffer, bit-identical to the single-threaded kernel (scaled probability-domain recursion in float64, exact log-space fallback on underflow); the loss timing includes reading the logits, copying them to shared memory and building the gradient tensor.',
);
process.exit(0);
