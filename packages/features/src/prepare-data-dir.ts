// Kaldi's steps/make_fbank.sh + steps/compute_cmvn_stats.sh without Kaldi: a data dir whose wav.scp
// lists WAV or FLAC files (or, when allowed, `cmd |` pipes) becomes a complete feature data dir.
// Work is split into shards of a few utterances that worker threads process in parallel (audio
// decoding, fbank and compression, the heavy part, all in the worker); each shard is kept in
// `<out>.partial/` once done, so a killed run resumes where it stopped, and the output dir appears
// (by rename) only when everything is written. The calling thread reads the finished shards back
// in order for the per-speaker CMVN stats while the workers compute.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  compareC,
  PipeNotAllowedError,
  parseRxspec,
  readTable,
  type TableLine,
  writeArk,
} from '@stnas/data-wsj';
import type { FbankOptions } from './fbank';
import { fbankConfLines, parseFbankConf, readFbankConf } from './fbank-conf';
import { processShard, type ShardItem, type ShardJob, type ShardResult, shardFiles } from './prepare-shard';
import { ShardCmvn } from './shard-cmvn';

/** A data dir's audio and tables, in memory (what {@link readAudioSource} reads from `wav.scp` etc.). */
export interface AudioSource {
  /** Folder that relative wav.scp paths resolve against. */
  baseDir: string;
  /** Names the wav.scp in errors (a path, or a description such as `LibriSpeech/dev-clean`). */
  wavScpName: string;
  /** True when the wav.scp lines were made from a folder, so errors name the utterance, not a line. */
  generated?: boolean;
  /** wav.scp lines: utterance id, rxfilename (path or `cmd |`), line number. */
  wav: TableLine[];
  utt2spk: Map<string, string>;
  /** Word transcripts, when known; then every utterance must have one. */
  text?: Map<string, string>;
  /** Names the transcript source in errors. */
  textName?: string;
  spk2gender?: Map<string, string>;
}

/** Options of {@link prepareDataDir}. */
export interface PrepareDataDirOptions {
  /** Source data dir (with `wav.scp` and `utt2spk`; `text`, `spk2gender` copied) or its tables in memory. */
  data: string | AudioSource;
  /** Output data dir; appears only when complete. */
  out: string;
  /**
   * Fbank options or a Kaldi `fbank.conf` path (`--num-mel-bins=40` lines). By default the first of
   * `<data>/conf/fbank.conf`, `<data>/fbank.conf`, `<data>/../fbank.conf`, `<data>/../conf/fbank.conf`,
   * else `--num-mel-bins=40` with Kaldi's other defaults.
   */
  fbankConfig?: string | FbankOptions;
  /** Write CM-compressed features as make_fbank.sh does (`copy-feats --compress=true`); true. `false` writes FM. */
  compress?: boolean;
  /** Run `cmd |` entries of wav.scp through `sh -c`; off by default. */
  allowPipes?: boolean;
  /** Worker threads; default the available cores. 0 computes on the calling thread. */
  workers?: number;
  /** Seed of the dither noise, mixed with each utterance id; 0. */
  seed?: number;
  /**
   * Utterances per shard; 20. Small shards keep every worker busy to the end (shards of whole
   * speakers left 2 workers with one shard between them on small sets); the output does not depend on it.
   */
  shardUtterances?: number;
  /**
   * Called after each utterance with the utterances done (finished shards included), the total, and
   * the feature frames computed by this call.
   */
  onProgress?: (done: number, total: number, frames: number) => void;
  /** Log lines (resume, up to date). */
  log?: (line: string) => void;
}

/** What {@link prepareDataDir} wrote (or found already written). */
export interface PrepareSummary {
  out: string;
  utterances: number;
  speakers: number;
  frames: number;
  /** Seconds of audio. */
  seconds: number;
  /** The fbank options used (also in `<out>/fbank.conf`). */
  fbank: FbankOptions;
  /** True when `out` was already complete for the same input and options, so nothing ran. */
  upToDate: boolean;
  /** Utterances computed by this call (0 when up to date; fewer than all when resumed). */
  computed: number;
}

const lines = (xs: string[]) => (xs.length ? `${xs.join('\n')}\n` : '');
const tableMap = (t: TableLine[]) => new Map(t.map((l) => [l.key, l.value]));

/** Reads a Kaldi data dir's `wav.scp`, `utt2spk` and, when present, `text` and `spk2gender`. */
export async function readAudioSource(dir: string): Promise<AudioSource> {
  const data = path.resolve(dir);
  for (const f of ['wav.scp', 'utt2spk'])
    if (!existsSync(path.join(data, f))) throw new Error(`prepareDataDir: ${path.join(data, f)} is missing`);
  if (existsSync(path.join(data, 'segments')))
    throw new Error(
      `prepareDataDir: ${path.join(data, 'segments')}: segmented recordings are not supported; give one file per utterance`,
    );
  const optional = async (f: string) =>
    existsSync(path.join(data, f))
      ? tableMap(await readTable(path.join(data, f), { allowEmptyValue: true }))
      : undefined;
  return {
    baseDir: data,
    wavScpName: path.join(data, 'wav.scp'),
    wav: await readTable(path.join(data, 'wav.scp')),
    utt2spk: tableMap(await readTable(path.join(data, 'utt2spk'))),
    text: await optional('text'),
    textName: path.join(data, 'text'),
    spk2gender: await optional('spk2gender'),
  };
}

/** The fbank options of a data dir: given, found beside it, or Kaldi's defaults with 40 mel bins. */
export function resolveFbankConfig(
  data: string | undefined,
  config: string | FbankOptions | undefined,
): FbankOptions {
  if (config !== undefined && typeof config !== 'string') return { ...config };
  if (typeof config === 'string') {
    if (!existsSync(config)) throw new Error(`fbank config ${config} does not exist`);
    return readFbankConf(config);
  }
  if (data !== undefined) {
    const found = [
      path.join(data, 'conf', 'fbank.conf'),
      path.join(data, 'fbank.conf'),
      path.join(data, '..', 'fbank.conf'),
      path.join(data, '..', 'conf', 'fbank.conf'),
    ].find((f) => existsSync(f));
    if (found) return readFbankConf(found);
  }
  return parseFbankConf('--num-mel-bins=40\n', '<default fbank.conf>');
}

function checkSource(src: AudioSource, allowPipes: boolean): ShardItem[] {
  const items: ShardItem[] = [];
  const wavUtts = new Set<string>();
  for (const l of src.wav) {
    const where = src.generated ? `utterance ${l.key}` : `${src.wavScpName}:${l.line} (utterance ${l.key})`;
    wavUtts.add(l.key);
    const spk = src.utt2spk.get(l.key);
    if (spk === undefined) throw new Error(`${where}: the utterance has no speaker in utt2spk`);
    if (src.text && !src.text.has(l.key))
      throw new Error(`${where}: the utterance has no transcript in ${src.textName ?? 'text'}`);
    const spec = parseRxspec(l.value);
    if (spec.range)
      throw new Error(`${where}: ranges are not allowed in wav.scp, found ${JSON.stringify(l.value)}`);
    if (spec.kind === 'pipe') {
      if (!allowPipes) throw new PipeNotAllowedError(l.value, where);
      items.push({ utt: l.key, spk, kind: 'pipe', source: spec.command, where });
    } else {
      if (spec.offset !== undefined)
        throw new Error(
          `${where}: expected an audio file path, found an offset in ${JSON.stringify(l.value)}`,
        );
      items.push({ utt: l.key, spk, kind: 'file', source: path.resolve(src.baseDir, spec.path), where });
    }
  }
  for (const u of src.utt2spk.keys())
    if (!wavUtts.has(u)) throw new Error(`${src.wavScpName}: utterance ${u} of utt2spk has no wav.scp entry`);
  if (items.length === 0) throw new Error(`${src.wavScpName} lists no utterances`);
  return items;
}

/** Orders items by speaker, then utterance (C order, feats.ark's order), in shards of `size`. */
function makeShards(items: ShardItem[], size: number): ShardItem[][] {
  const bySpk = new Map<string, ShardItem[]>();
  for (const it of items) {
    const l = bySpk.get(it.spk);
    if (l) l.push(it);
    else bySpk.set(it.spk, [it]);
  }
  const ordered: ShardItem[] = [];
  for (const spk of [...bySpk.keys()].sort(compareC))
    ordered.push(...bySpk.get(spk)!.sort((a, b) => compareC(a.utt, b.utt)));
  const shards: ShardItem[][] = [];
  for (let i = 0; i < ordered.length; i += size) shards.push(ordered.slice(i, i + size));
  return shards;
}

function workerUrl(): URL {
  // From source (vitest, tsx) this module is a .ts file and so is the worker; in dist both are .js.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./prepare-worker${ext}`, import.meta.url);
}

function spawnWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const code = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}));`;
  return new Worker(code, { eval: true });
}

/** Runs `jobs` on `n` worker threads (or in-process for n = 0); the first error stops everything. */
async function runJobs(
  jobs: ShardJob[],
  n: number,
  onUtterance: (frames: number) => void,
  onShard: (r: ShardResult) => void,
): Promise<void> {
  if (n === 0) {
    for (const j of jobs) onShard(await processShard(j, onUtterance));
    return;
  }
  const queue = jobs.slice();
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const fail = (e: Error) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      const feed = (w: Worker) => {
        const job = queue.shift();
        if (!job) {
          if (--running === 0) resolve();
          return;
        }
        w.postMessage(job);
      };
      for (let i = 0; i < n; i++) {
        const w = spawnWorker(workerUrl());
        workers.push(w);
        running++;
        w.on('message', (m: { type: string; result?: ShardResult; message?: string; frames?: number }) => {
          if (failed) return;
          if (m.type === 'utterance') onUtterance(m.frames ?? 0);
          else if (m.type === 'done') {
            onShard(m.result!);
            feed(w);
          } else fail(new Error(m.message));
        });
        w.on('error', (e) => fail(e));
        w.on('exit', (code) => {
          if (code !== 0) fail(new Error(`prepareDataDir: a worker thread exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function concatShards(out: string, files: string[]): Promise<void> {
  const fh = await open(out, 'w');
  try {
    for (const f of files) {
      const src = await open(f, 'r');
      try {
        for await (const chunk of src.createReadStream({ highWaterMark: 1 << 22, autoClose: false })) {
          const b = chunk as Buffer;
          let off = 0;
          while (off < b.length) off += (await fh.write(b, off, b.length - off)).bytesWritten;
        }
      } finally {
        await src.close();
      }
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Computes fbank features for every utterance of a data dir whose `wav.scp` lists WAV or FLAC files
 * and writes a complete data dir to `out`: `feats.ark/scp` (CM-compressed unless `compress: false`),
 * `utt2num_frames`, `utt2dur`, per-speaker `cmvn.ark/scp`, `spk2utt`, `utt2spk`, `text` and
 * `spk2gender` when present, `wav.scp` with absolute paths and the `fbank.conf` used. Errors name
 * the wav.scp line, the utterance and the file (unreadable or truncated audio, a rate other than
 * the config's `--sample-frequency`, a missing speaker or transcript, a refused pipe).
 */
export async function prepareDataDir(opts: PrepareDataDirOptions): Promise<PrepareSummary> {
  const out = path.resolve(opts.out);
  const log = opts.log ?? (() => {});
  const src = typeof opts.data === 'string' ? await readAudioSource(opts.data) : opts.data;
  if (typeof opts.data === 'string' && path.resolve(opts.data) === out)
    throw new Error(`prepareDataDir: out must differ from data (${out})`);
  const fb = resolveFbankConfig(
    typeof opts.data === 'string' ? path.resolve(opts.data) : undefined,
    opts.fbankConfig,
  );
  const compress = opts.compress ?? true;
  const seed = opts.seed ?? 0;
  const shardSize = opts.shardUtterances ?? 20;
  if (!(shardSize >= 1))
    throw new RangeError(`prepareDataDir: shardUtterances must be at least 1, got ${shardSize}`);
  const items = checkSource(src, opts.allowPipes ?? false);
  const shards = makeShards(items, shardSize);
  const key = createHash('sha256')
    .update(JSON.stringify({ v: 2, shards, fb, compress, seed, text: src.text ? [...src.text] : null }))
    .digest('hex');

  const summaryOf = (
    r: Omit<PrepareSummary, 'out' | 'fbank' | 'upToDate' | 'computed'>,
    computed: number,
    upToDate: boolean,
  ): PrepareSummary => ({ out, ...r, fbank: fb, upToDate, computed });
  const doneFile = path.join(out, 'prepare.json');
  if (existsSync(doneFile)) {
    const done = JSON.parse(await readFile(doneFile, 'utf8')) as { key: string; summary: PrepareSummary };
    if (done.key === key) {
      log(`prepareDataDir: ${out} is up to date`);
      return summaryOf(done.summary, 0, true);
    }
  }

  const partial = `${out}.partial`;
  const shardDir = path.join(partial, 'shards');
  const planFile = path.join(partial, 'plan.json');
  const samePlan = existsSync(planFile) && (await readFile(planFile, 'utf8')) === key;
  if (!samePlan) {
    await rm(partial, { recursive: true, force: true });
    await mkdir(shardDir, { recursive: true });
    await writeFile(planFile, key);
  }
  const results: Array<ShardResult | undefined> = shards.map(() => undefined);
  let done = 0;
  for (let i = 0; i < shards.length; i++) {
    const f = shardFiles(shardDir, i);
    if (samePlan && existsSync(f.json) && existsSync(f.ark)) {
      results[i] = JSON.parse(await readFile(f.json, 'utf8')) as ShardResult;
      done += shards[i]!.length;
    }
  }
  // CMVN stats are read back from each shard's ark in shard order as soon as the shards before it
  // are done, on this thread while the workers compute the next shards.
  const cmvnAcc = new ShardCmvn(new Map(items.map((it) => [it.utt, it.spk])));
  let nextCmvn = 0;
  let cmvnDone: Promise<void> = Promise.resolve();
  const advanceCmvn = () => {
    while (nextCmvn < shards.length && results[nextCmvn]) {
      const ark = shardFiles(shardDir, nextCmvn++).ark;
      cmvnDone = cmvnDone.then(() => cmvnAcc.add(ark));
      cmvnDone.catch(() => {}); // awaited below; this only keeps an early failure from being unhandled
    }
  };
  advanceCmvn();
  if (done > 0)
    log(`prepareDataDir: resuming ${partial}: ${done} of ${items.length} utterances already done`);
  const jobs: ShardJob[] = [];
  for (let i = 0; i < shards.length; i++)
    if (!results[i]) jobs.push({ index: i, items: shards[i]!, dir: shardDir, fbank: fb, compress, seed });
  const total = items.length;
  const computedBefore = done;
  let framesDone = 0;
  opts.onProgress?.(done, total, 0);
  const n = Math.min(Math.max(0, Math.floor(opts.workers ?? availableParallelism())), jobs.length);
  await runJobs(
    jobs,
    n,
    (frames) => {
      framesDone += frames;
      opts.onProgress?.(++done, total, framesDone);
    },
    (r) => {
      results[r.index] = r;
      advanceCmvn();
    },
  );
  await cmvnDone;
  const computed = total - computedBefore;

  // Assemble: one feats.ark in shard order, tables in C order.
  const rs = results as ShardResult[];
  const featOffset = new Map<string, number>();
  const frames = new Map<string, number>();
  const samples = new Map<string, number>();
  let base = 0;
  for (const r of rs) {
    for (const [u, off, rows, n] of r.utts) {
      featOffset.set(u, base + off);
      frames.set(u, rows);
      samples.set(u, n);
    }
    base += r.arkBytes;
  }
  await concatShards(
    path.join(partial, 'feats.ark'),
    rs.map((r) => shardFiles(shardDir, r.index).ark),
  );
  const utts = items.map((it) => it.utt).sort(compareC);
  await writeFile(
    path.join(partial, 'feats.scp'),
    lines(utts.map((u) => `${u} feats.ark:${featOffset.get(u)}`)),
  );
  const cmvn = cmvnAcc.stats();
  cmvn.sort((a, b) => compareC(a.key, b.key));
  await writeArk(path.join(partial, 'cmvn.ark'), cmvn);
  const spk2utt = new Map<string, string[]>();
  for (const u of utts) {
    const s = src.utt2spk.get(u)!;
    const l = spk2utt.get(s);
    if (l) l.push(u);
    else spk2utt.set(s, [u]);
  }
  const spks = [...spk2utt.keys()].sort(compareC);
  const rate = fb.sampleFrequency ?? 16000;
  const wavOf = new Map(items.map((it) => [it.utt, it.kind === 'pipe' ? `${it.source} |` : it.source]));
  await writeFile(path.join(partial, 'wav.scp'), lines(utts.map((u) => `${u} ${wavOf.get(u)}`)));
  await writeFile(path.join(partial, 'utt2spk'), lines(utts.map((u) => `${u} ${src.utt2spk.get(u)}`)));
  await writeFile(path.join(partial, 'spk2utt'), lines(spks.map((s) => `${s} ${spk2utt.get(s)!.join(' ')}`)));
  await writeFile(path.join(partial, 'utt2num_frames'), lines(utts.map((u) => `${u} ${frames.get(u)}`)));
  await writeFile(
    path.join(partial, 'utt2dur'),
    lines(utts.map((u) => `${u} ${(samples.get(u)! / rate).toFixed(4)}`)),
  );
  if (src.text)
    await writeFile(path.join(partial, 'text'), lines(utts.map((u) => `${u} ${src.text!.get(u)}`.trimEnd())));
  if (src.spk2gender) {
    const g = src.spk2gender;
    await writeFile(
      path.join(partial, 'spk2gender'),
      lines(spks.filter((s) => g.has(s)).map((s) => `${s} ${g.get(s)}`)),
    );
  }
  await writeFile(path.join(partial, 'fbank.conf'), lines(fbankConfLines(fb)));
  const summary = {
    utterances: utts.length,
    speakers: spks.length,
    frames: utts.reduce((a, u) => a + frames.get(u)!, 0),
    seconds: utts.reduce((a, u) => a + samples.get(u)!, 0) / rate,
  };
  await writeFile(path.join(partial, 'prepare.json'), `${JSON.stringify({ key, summary }, null, 1)}\n`);
  await rm(shardDir, { recursive: true, force: true });
  await rm(planFile, { force: true });
  const old = `${out}.old-${process.pid}`;
  if (existsSync(out)) await rename(out, old);
  await rename(partial, out);
  await rm(old, { recursive: true, force: true });
  return summaryOf(summary, computed, false);
}
