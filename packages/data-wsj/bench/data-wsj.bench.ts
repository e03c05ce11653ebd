// Throughput of the Kaldi readers and the batcher: FM ark reading vs a plain read of the same file
// (page cache), CM decompression, and batches per second from a data dir with CMVN and deltas.
// Inputs are generated in os.tmpdir() and removed afterwards.

import { mkdtempSync } from 'node:fs';
import { open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type ArkEntry,
  compress,
  decompress,
  loadDataDir,
  type Matrix,
  mulberry32,
  readArk,
  SpeechDataset,
  writeArk,
} from '@stnas/data-wsj';
import { markdownTable, median, record, timeIt } from '../../../bench/report.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'data-wsj-bench-'));
const rand = mulberry32(1);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

function featMatrix(rows: number, cols: number): Matrix {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 10 - 0.2 * (i % cols) + 2 * gauss();
  return { rows, cols, data };
}

async function plainRead(file: string): Promise<number> {
  const fh = await open(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 22);
  let total = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  await fh.close();
  return total;
}

/** The floor for any reader that hands out owned arrays: plain read + a fresh copy per entry. */
async function plainReadAndCopy(file: string, entryBytes: number): Promise<number> {
  const fh = await open(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 22);
  let total = 0;
  let kept = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, total);
    if (bytesRead === 0) break;
    for (let at = 0; at + entryBytes <= bytesRead; at += entryBytes) {
      const out = new Float32Array(Buffer.allocUnsafeSlow(entryBytes).buffer);
      new Uint8Array(out.buffer).set(buf.subarray(at, at + entryBytes));
      kept += out.length;
    }
    total += bytesRead;
  }
  await fh.close();
  return kept;
}

/** Reads every entry; with `reuse` each view is consumed (summed over one row) before the next. */
async function arkRead(file: string, reuse = false): Promise<number> {
  let values = 0;
  for await (const e of readArk(file, { reuse })) {
    const d = (e.value as Matrix).data;
    for (let c = 0; c < 40; c++) values += d[c]! > 1e30 ? 1 : 0;
    values += d.length;
  }
  return values;
}

try {
  const rows: (string | number)[][] = [];
  // 1. A 200 MB FM ark: 1250 utterances x 1000 frames x 40 dims x 4 bytes.
  const ark = path.join(dir, 'big.ark');
  const proto = featMatrix(1000, 40);
  const n = 1250;
  const entries = function* (): Generator<ArkEntry> {
    for (let i = 0; i < n; i++) yield { key: `utt${String(i).padStart(5, '0')}`, value: proto };
  };
  const tw = performance.now();
  await writeArk(ark, entries(), { scp: false });
  const writeMs = performance.now() - tw;
  const bytes = await plainRead(ark); // warm the page cache
  const plain: number[] = [];
  const copied: number[] = [];
  const parsed: number[] = [];
  const streamed: number[] = [];
  // One untimed pass of each first: JIT and the allocator's first growth are not steady state.
  await plainReadAndCopy(ark, 160000);
  await arkRead(ark);
  await arkRead(ark, true);
  for (let rep = 0; rep < 9; rep++) {
    plain.push(...(await timeIt(() => plainRead(ark), 1, 0)));
    copied.push(...(await timeIt(() => plainReadAndCopy(ark, 160000), 1, 0)));
    parsed.push(...(await timeIt(() => arkRead(ark), 1, 0)));
    streamed.push(...(await timeIt(() => arkRead(ark, true), 1, 0)));
  }
  const mb = bytes / 2 ** 20;
  rows.push([
    'plain read of the 200 MB FM ark (4 MiB chunks)',
    `${(mb / (median(plain) / 1000)).toFixed(0)} MB/s`,
    `${median(plain).toFixed(0)} ms`,
  ]);
  rows.push([
    'plain read + a fresh 160 KB array per entry (floor for owned arrays)',
    `${(mb / (median(copied) / 1000)).toFixed(0)} MB/s`,
    `${median(copied).toFixed(0)} ms`,
  ]);
  rows.push([
    'readArk over the same file (default: owned values, views into 4 MiB slabs)',
    `${(mb / (median(parsed) / 1000)).toFixed(0)} MB/s`,
    `${median(parsed).toFixed(0)} ms`,
  ]);
  rows.push([
    'readArk { reuse: true } (streaming: views valid until the next entry)',
    `${(mb / (median(streamed) / 1000)).toFixed(0)} MB/s`,
    `${median(streamed).toFixed(0)} ms`,
  ]);
  rows.push([
    'readArk default / plain read time',
    `${(median(parsed) / median(plain)).toFixed(2)}x`,
    'goal <= 2x',
  ]);
  rows.push([
    'readArk reuse / plain read time',
    `${(median(streamed) / median(plain)).toFixed(2)}x`,
    'goal <= 2x',
  ]);
  rows.push([
    'readArk default / (plain read + fresh arrays) time',
    `${(median(parsed) / median(copied)).toFixed(2)}x`,
    'owned data costs fresh pages',
  ]);
  rows.push([
    'writeArk of the same 200 MB (atomic, fsync)',
    `${(mb / (writeMs / 1000)).toFixed(0)} MB/s`,
    `${writeMs.toFixed(0)} ms`,
  ]);
  await rm(ark, { force: true });

  // 2. Decompression: 100 matrices of 1000 x 40 in each format.
  for (const [fmt, method] of [
    ['CM', 2],
    ['CM2', 3],
    ['CM3', 5],
  ] as const) {
    const comp = Array.from({ length: 100 }, () => {
      const m = featMatrix(1000, 40);
      const { format, bytes: b } = compress(m, method);
      const dv = new DataView(b.buffer);
      return {
        h: { format, minValue: dv.getFloat32(0, true), range: dv.getFloat32(4, true), rows: 1000, cols: 40 },
        p: b.subarray(16),
      };
    });
    const t = await timeIt(
      () => {
        for (const c of comp) decompress(c.h, c.p);
      },
      7,
      2,
    );
    const tc = await timeIt(
      () => {
        for (let i = 0; i < 10; i++) compress(proto, method);
      },
      5,
      1,
    );
    rows.push([
      `decompress ${fmt} (100 x 1000x40)`,
      `${(4e6 / (median(t) / 1000) / 1e6).toFixed(0)} M values/s`,
      `${median(t).toFixed(1)} ms`,
    ]);
    rows.push([
      `compress ${fmt} (Kaldi byte-exact)`,
      `${(4e5 / (median(tc) / 1000) / 1e6).toFixed(1)} M values/s`,
      `${median(tc).toFixed(1)} ms / 10 mats`,
    ]);
  }

  // 3. Batcher: a data dir of 300 utterances (300-900 frames x 40, CM-compressed, as make_fbank
  //    stores them), 10 speakers with per-speaker DM cmvn stats; CMVN + deltas -> 120 dims.
  const dd = path.join(dir, 'data');
  await import('node:fs/promises').then((fs) => fs.mkdir(dd));
  const utts: { key: string; spk: string; m: Matrix }[] = [];
  for (let i = 0; i < 300; i++) {
    const spk = `spk${String(i % 10).padStart(2, '0')}`;
    utts.push({
      key: `${spk}-utt${String(i).padStart(4, '0')}`,
      spk,
      m: featMatrix(300 + Math.floor(rand() * 600), 40),
    });
  }
  utts.sort((a, b) => (a.key < b.key ? -1 : 1));
  await writeArk(
    path.join(dd, 'feats.ark'),
    utts.map((u) => ({ key: u.key, value: u.m })),
    { compress: 'CM', scp: path.join(dd, 'feats.scp') },
  );
  const spks = [...new Set(utts.map((u) => u.spk))].sort();
  const stats = spks.map((s) => {
    const d = new Float64Array(2 * 41);
    for (const u of utts.filter((x) => x.spk === s)) {
      for (let t = 0; t < u.m.rows; t++) {
        for (let c = 0; c < 40; c++) {
          const v = u.m.data[t * 40 + c]!;
          d[c] = d[c]! + v;
          d[41 + c] = d[41 + c]! + v * v;
        }
      }
      d[40] = d[40]! + u.m.rows;
    }
    return { key: s, value: { rows: 2, cols: 41, data: d } };
  });
  await writeArk(path.join(dd, 'cmvn.ark'), stats, { scp: path.join(dd, 'cmvn.scp') });
  await writeFile(path.join(dd, 'utt2spk'), utts.map((u) => `${u.key} ${u.spk}\n`).join(''));
  await writeFile(path.join(dd, 'utt2num_frames'), utts.map((u) => `${u.key} ${u.m.rows}\n`).join(''));
  const data = await loadDataDir(dd, { requireText: false });
  const ds = await SpeechDataset.fromDataDir(data, {
    cmvn: { normVars: true },
    deltas: { order: 2, window: 2 },
    frameBudget: 16 * 900,
  });
  let frames = 0;
  let batches = 0;
  const tb = await timeIt(
    async () => {
      frames = 0;
      batches = 0;
      for await (const b of ds.batches(batches)) {
        batches++;
        for (const l of b.lengths) frames += l;
      }
    },
    3,
    1,
  );
  const secs = median(tb) / 1000;
  rows.push([
    `SpeechDataset epoch: ${batches} batches, CM feats + CMVN(norm-vars) + deltas`,
    `${(batches / secs).toFixed(1)} batches/s`,
    `${(frames / secs / 1000).toFixed(0)}k frames/s`,
  ]);
  rows.push([
    'batcher frames/s vs the fastest training step in perf-notes (6,942 frames/s)',
    `${(frames / secs / 6942).toFixed(0)}x faster`,
    'goal: never the bottleneck',
  ]);
  await data.close();

  record(
    '@stnas/data-wsj: Kaldi I/O and batching',
    markdownTable(['what', 'throughput', 'time (median)'], rows),
    'Inputs are generated in os.tmpdir() and deleted. The four reads of the 200 MB ark alternate within one run (9 each after one untimed pass, medians); ' +
      'the ark is in the page cache. There is no PyTorch counterpart for these readers, so no torch column.',
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
