// Memory on WSJ-size data: warmup steps of the 640-unit WSJ supernet (wsj-stnas.json, with the
// bundled lexicon's 41 units) on wasm over generated data dirs of 10 h and 80 h (CM-compressed 40-dim
// features, per-speaker CMVN, transcripts from the bundled lexicon) in os.tmpdir(). Each size runs in
// a fresh process, which reports its peak RSS, the batcher's batches/s (reading, decompressing,
// CMVN and deltas, no model) and the training steps/s. `tsx memory.bench.ts [hours...] [--steps N]`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAverage, markdownTable, record } from '../../../bench/report.ts';
import { makeWsjSizeDataDir } from './wsj-size-data.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.join(here, '..', '..', 'corpus', 'data');
const lexicon = path.join(corpus, 'lang', 'lexicon.txt');
const units = path.join(corpus, 'lang', 'units.txt');
const BATCH = 8;

interface ChildResult {
  hours: number;
  utterances: number;
  peakRssBytes: number;
  batchesPerSecond: number;
  stepsPerSecond: number;
  steps: number;
  openSeconds: number;
}

async function child(data: string, dev: string, out: string, steps: number): Promise<void> {
  const { selectBackend, openStageSet, readLexicon, readUnits, runWarmup, DEFAULT_PIPELINE } = await import(
    '../src/index.ts'
  );
  await selectBackend('wasm');
  const config = JSON.parse(
    readFileSync(path.join(here, '..', '..', 'search-space', 'configs', 'wsj-stnas.json'), 'utf8'),
  );
  config.net_configs.num_classes = 41;
  // the batcher alone: read 20 batches of the training order, as a stage does
  const t0 = performance.now();
  const set = await openStageSet(data, {
    lexicon: readLexicon(lexicon),
    units: readUnits(units),
    pipeline: DEFAULT_PIPELINE,
    batching: { batchSize: BATCH, seed: 0, shuffle: true },
  });
  const openSeconds = (performance.now() - t0) / 1000;
  const order = set.dataset.batchOrder(0);
  const reader = set.reader();
  const n = Math.min(20, order.length);
  const t1 = performance.now();
  for (let i = 0; i < n; i++) await reader.get(order[i]!, order[i + 1]);
  const batchesPerSecond = n / ((performance.now() - t1) / 1000);
  const utterances = set.dataset.utts.length;
  const hours = [...set.dataset.lengths.values()].reduce((a, b) => a + b, 0) / 360000;
  await set.close();
  const stamps: number[] = [];
  await runWarmup({
    config,
    data,
    dev,
    lexicon,
    units,
    out,
    seed: 0,
    batchSize: BATCH,
    lr: 1e-3,
    maxEpochs: 1,
    checkpointEvery: 1000,
    maxStepsThisRun: steps,
    minEpochs: 1,
    minLossImprove: 0.5,
    loss: 'ctc',
    progress: { write: () => {}, isTTY: false },
    log: () => {},
    onBatch: (role) => {
      if (role === 'train') stamps.push(performance.now());
    },
  });
  const stepsPerSecond = (stamps.length - 1) / ((stamps.at(-1)! - stamps[0]!) / 1000);
  const r: ChildResult = {
    hours,
    utterances,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    batchesPerSecond,
    stepsPerSecond,
    steps,
    openSeconds,
  };
  console.log(JSON.stringify(r));
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1]!, args[2]!, args[3]!, Number(args[4]));
} else {
  const stepsAt = args.indexOf('--steps');
  const steps = stepsAt >= 0 ? Number(args[stepsAt + 1]) : 2;
  const sizes = args.filter((a, i) => !a.startsWith('--') && i !== stepsAt + 1).map(Number);
  const hoursList = sizes.length ? sizes : [10, 80];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'stnas-memory-'));
  const load0 = loadAverage();
  const rows: (string | number)[][] = [];
  const results: ChildResult[] = [];
  try {
    const dev = (await makeWsjSizeDataDir(path.join(tmp, 'dev'), 0.05, { lexicon, seed: 9 })).dir;
    for (const hours of hoursList) {
      const t0 = performance.now();
      const d = await makeWsjSizeDataDir(path.join(tmp, `train_${hours}h`), hours, { lexicon, seed: hours });
      console.error(
        `made ${d.hours.toFixed(1)} h (${d.utterances} utterances, ${(d.arkBytes / 2 ** 30).toFixed(2)} GiB ark) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
      const out = execFileSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          '--child',
          d.dir,
          dev,
          path.join(tmp, `run_${hours}h`),
          String(steps),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
      );
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
      results.push(r);
      console.error(JSON.stringify(r));
      rows.push([
        `${r.hours.toFixed(1)} h`,
        r.utterances,
        (r.peakRssBytes / 2 ** 30).toFixed(2),
        r.openSeconds.toFixed(1),
        r.batchesPerSecond.toFixed(1),
        r.stepsPerSecond.toFixed(3),
        (r.batchesPerSecond / r.stepsPerSecond).toFixed(0),
      ]);
      rmSync(d.dir, { recursive: true, force: true });
      rmSync(path.join(tmp, `run_${hours}h`), { recursive: true, force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const growth = results.length > 1 ? results.at(-1)!.peakRssBytes / results[0]!.peakRssBytes - 1 : 0;
  const table = markdownTable(
    [
      'training data',
      'utterances',
      'peak RSS GiB',
      'open s',
      'batcher batches/s',
      'warmup steps/s',
      'batcher / steps',
    ],
    rows,
  );
  console.log(table);
  writeFileSync(path.join(os.tmpdir(), 'stnas-memory-bench.json'), JSON.stringify(results));
  record(
    '@stnas/trainer: memory on WSJ-size data',
    table,
    `The 640-unit WSJ supernet (packages/search-space/configs/wsj-stnas.json with the bundled lexicon's 41 units) on wasm, ` +
      `batch ${BATCH}, ${steps} warmup steps per size, each size in a fresh process (peak RSS is the process's maxRSS); ` +
      "utterances of 800 frames each (WSJ's 8 s average), so every batch is 8 x 800 padded frames whatever the corpus size " +
      '(with a spread of lengths, which batch comes first moves the wasm heap by about 315 KB per padded frame). ' +
      `Features stay on disk; a stage holds lengths, labels and the batch plan, and reads each batch when it is used. ` +
      `Peak RSS grows ${(growth * 100).toFixed(1)}% from the first to the last size (goal: at most 10%). ` +
      `"batcher batches/s" reads 20 batches of the epoch's order (decompression, CMVN, deltas) with no model; ` +
      `"open s" is opening the data dir (tables, lengths, labels). Load average before: ${load0}, after: ${loadAverage()}.`,
  );
}
