// Data-dir level speed perturbation, as Kaldi's utils/data/perturb_data_dir_speed_3way.sh followed
// by steps/make_fbank.sh and steps/compute_cmvn_stats.sh: ids `sp<F>-<utt>` / `sp<F>-<spk>` (factor
// 1 keeps the originals), tables sorted in C order, features CM-compressed, CMVN per speaker.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  compareC,
  loadScp,
  type Matrix,
  PipeNotAllowedError,
  parseRxspec,
  readTable,
  writeArk,
} from '@stnas/data-wsj';
import { computeCmvnStats } from './cmvn-stats';
import { type FbankOptions, fbank } from './fbank';
import { fbankConfLines, readFbankConf } from './fbank-conf';
import { perturbSpeed } from './perturb-speed';
import { readAudio as decodeAudio } from './read-audio';
import { runPipe } from './run-pipe';

/** Options of {@link speedPerturbDataDir}. */
export interface SpeedPerturbDataDirOptions {
  /** Source Kaldi data dir with `wav.scp` (WAV or FLAC files) and `utt2spk`; `text`, `spk2gender` copied when present. */
  data: string;
  /** Output data dir (replaced atomically when complete). */
  out: string;
  /** Speed factors; [0.9, 1.0, 1.1]. Factor 1 keeps the original ids. */
  factors?: number[];
  /**
   * Fbank options or the path of a Kaldi fbank.conf; by default the first of `<data>/conf/fbank.conf`,
   * `<data>/fbank.conf`, `<data>/../fbank.conf` and `<data>/../conf/fbank.conf` that exists.
   */
  fbankConfig?: string | FbankOptions;
  /** Run `cmd |` entries of wav.scp through `sh -c`; off by default. */
  allowPipes?: boolean;
  /** Seed of the dither noise, mixed with each output utterance id; 0. */
  seed?: number;
  /** Progress callback. */
  log?: (line: string) => void;
}

/** What {@link speedPerturbDataDir} wrote. */
export interface SpeedPerturbSummary {
  utterances: number;
  speakers: number;
  frames: number;
  seconds: number;
  /** The fbank options used (also written to `<out>/fbank.conf`). */
  fbank: FbankOptions;
}

/** Kaldi's id prefix for a speed factor: `sp0.9-`, `sp1.1-`; '' for 1. */
export function speedPrefix(factor: number): string {
  return factor === 1 ? '' : `sp${String(factor)}-`;
}

const lines = (xs: string[]) => (xs.length ? `${xs.join('\n')}\n` : '');

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function resolveFbank(data: string, config: string | FbankOptions | undefined): FbankOptions {
  if (config !== undefined && typeof config !== 'string') return { ...config };
  if (typeof config === 'string') {
    if (!existsSync(config)) throw new Error(`speedPerturbDataDir: fbankConfig ${config} does not exist`);
    return readFbankConf(config);
  }
  const tried = [
    path.join(data, 'conf', 'fbank.conf'),
    path.join(data, 'fbank.conf'),
    path.join(data, '..', 'fbank.conf'),
    path.join(data, '..', 'conf', 'fbank.conf'),
  ];
  const found = tried.find((f) => existsSync(f));
  if (!found)
    throw new Error(
      `speedPerturbDataDir: no fbank config given and none found (tried ${tried.join(', ')}); pass fbankConfig`,
    );
  return readFbankConf(found);
}

/**
 * Writes speed-perturbed copies of a data dir (`wav.scp` of WAV or FLAC files, relative to the data dir or
 * absolute) to `out`: fbank as `fbankConfig` says (CM-compressed feats.ark/scp), per-speaker CMVN
 * stats, and text/utt2spk/spk2utt/utt2num_frames/utt2dur/spk2gender with Kaldi's `sp<F>-` ids.
 */
export async function speedPerturbDataDir(opts: SpeedPerturbDataDirOptions): Promise<SpeedPerturbSummary> {
  const fn = 'speedPerturbDataDir';
  const data = path.resolve(opts.data);
  const out = path.resolve(opts.out);
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 0;
  const factors = opts.factors ?? [0.9, 1.0, 1.1];
  if (!Array.isArray(factors) || factors.length === 0)
    throw new Error(
      `${fn}: factors must be a non-empty list of speed factors, got ${JSON.stringify(factors)}`,
    );
  for (const f of factors) perturbSpeed([], f); // validates each factor
  if (new Set(factors).size !== factors.length)
    throw new Error(`${fn}: factors ${JSON.stringify(factors)} repeat a value`);
  if (out === data) throw new Error(`${fn}: out must differ from data (${data})`);
  for (const f of ['wav.scp', 'utt2spk'])
    if (!existsSync(path.join(data, f))) throw new Error(`${fn}: ${path.join(data, f)} is missing`);
  const fb = resolveFbank(data, opts.fbankConfig);
  const rate = fb.sampleFrequency ?? 16000;

  const wavScp = path.join(data, 'wav.scp');
  const wav = await readTable(wavScp);
  const utt2spk = new Map((await readTable(path.join(data, 'utt2spk'))).map((l) => [l.key, l.value]));
  for (const l of wav)
    if (!utt2spk.has(l.key)) throw new Error(`${wavScp}:${l.line}: utterance ${l.key} is not in utt2spk`);
  const wavUtts = new Set(wav.map((l) => l.key));
  for (const u of utt2spk.keys())
    if (!wavUtts.has(u))
      throw new Error(`${path.join(data, 'utt2spk')}: utterance ${u} has no wav.scp entry`);
  const readOptional = async (f: string) =>
    existsSync(path.join(data, f))
      ? new Map((await readTable(path.join(data, f), { allowEmptyValue: true })).map((l) => [l.key, l.value]))
      : undefined;
  const text = await readOptional('text');
  const spk2gender = await readOptional('spk2gender');

  // check every wav.scp entry before any audio is read
  const specs = new Map<string, { where: string; spec: ReturnType<typeof parseRxspec> }>();
  for (const l of wav) {
    const where = `${wavScp}:${l.line} (utterance ${l.key})`;
    const spec = parseRxspec(l.value);
    if (spec.range)
      throw new Error(`${where}: ranges are not allowed in wav.scp, found ${JSON.stringify(l.value)}`);
    if (spec.kind === 'pipe' && !opts.allowPipes) throw new PipeNotAllowedError(l.value, where);
    if (spec.kind === 'file' && spec.offset !== undefined)
      throw new Error(`${where}: expected an audio file path, found an offset in ${JSON.stringify(l.value)}`);
    specs.set(l.key, { where, spec });
  }
  const readAudio = async (utt: string): Promise<Float32Array> => {
    const { where, spec } = specs.get(utt)!;
    let bytes: Uint8Array;
    if (spec.kind === 'pipe') bytes = await runPipe(spec.command, where);
    else {
      const file = path.resolve(data, spec.path);
      try {
        bytes = await readFile(file);
      } catch (e) {
        throw new Error(`${where}: cannot read ${file}: ${(e as Error).message}`);
      }
    }
    let w: Awaited<ReturnType<typeof decodeAudio>>;
    try {
      w = await decodeAudio(bytes);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    if (w.sampleRate !== rate)
      throw new Error(
        `${where}: the audio is ${w.sampleRate} Hz but the fbank config says --sample-frequency=${rate}`,
      );
    return w.samples;
  };

  // one job per (utterance, factor), in the output's C order, so features stream to the ark and
  // memory stays bounded by one utterance (each source file is read once per factor)
  const jobs = wav.flatMap((l) =>
    factors.map((f) => ({
      id: speedPrefix(f) + l.key,
      utt: l.key,
      factor: f,
      spk: speedPrefix(f) + utt2spk.get(l.key)!,
    })),
  );
  jobs.sort((x, y) => compareC(x.id, y.id));
  const utts = jobs.map((j) => j.id);
  const newSpk = new Map(jobs.map((j) => [j.id, j.spk]));
  const origUtt = new Map(jobs.map((j) => [j.id, j.utt]));
  const origSpk = new Map(jobs.map((j) => [j.spk, utt2spk.get(j.utt)!]));
  const rows = new Map<string, number>();
  const seconds = new Map<string, number>();
  const spk2utt = new Map<string, string[]>();
  for (const u of utts) {
    const s = newSpk.get(u)!;
    const list = spk2utt.get(s);
    if (list) list.push(u);
    else spk2utt.set(s, [u]);
  }
  const spks = [...spk2utt.keys()].sort(compareC);
  const t0 = performance.now();
  async function* features() {
    for (const [i, j] of jobs.entries()) {
      const y = perturbSpeed(await readAudio(j.utt), j.factor);
      // sox writes 16-bit samples back: round and clip, as the perturbed wav file would hold them
      for (let k = 0; k < y.length; k++) y[k] = Math.max(-32768, Math.min(32767, Math.round(y[k]!)));
      const m = fbank(y, { ...fb, seed: (fnv1a(j.id) ^ seed) >>> 0 });
      if (m.rows === 0)
        throw new Error(
          `${specs.get(j.utt)!.where}: ${y.length} samples at speed ${j.factor} give no frames`,
        );
      rows.set(j.id, m.rows);
      seconds.set(j.id, y.length / rate);
      if ((i + 1) % 300 === 0)
        log(`${fn}: ${i + 1}/${jobs.length} utterances (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      yield { key: j.id, value: m };
    }
  }
  const tmp = `${out}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await writeArk(path.join(tmp, 'feats.ark'), features(), { compress: 'CM' });
    // CMVN over the stored (compressed) features, as compute-cmvn-stats reads feats.scp
    const scp = await loadScp(path.join(tmp, 'feats.scp'));
    const cmvn: Array<{ key: string; value: Matrix }> = [];
    try {
      for (const s of spks) {
        const ms: Matrix[] = [];
        for (const u of spk2utt.get(s)!) ms.push(await scp.getMatrix(u));
        cmvn.push({ key: s, value: computeCmvnStats(ms) });
      }
    } finally {
      await scp.close();
    }
    await writeArk(path.join(tmp, 'cmvn.ark'), cmvn);
    if (text)
      await writeFile(
        path.join(tmp, 'text'),
        lines(
          utts
            .filter((u) => text.has(origUtt.get(u)!))
            .map((u) => `${u} ${text.get(origUtt.get(u)!)}`.trimEnd()),
        ),
      );
    await writeFile(path.join(tmp, 'utt2spk'), lines(utts.map((u) => `${u} ${newSpk.get(u)}`)));
    await writeFile(path.join(tmp, 'spk2utt'), lines(spks.map((s) => `${s} ${spk2utt.get(s)!.join(' ')}`)));
    await writeFile(path.join(tmp, 'utt2num_frames'), lines(utts.map((u) => `${u} ${rows.get(u)!}`)));
    await writeFile(path.join(tmp, 'utt2dur'), lines(utts.map((u) => `${u} ${seconds.get(u)!.toFixed(4)}`)));
    if (spk2gender) {
      const g = (s: string) => spk2gender.get(origSpk.get(s)!);
      await writeFile(
        path.join(tmp, 'spk2gender'),
        lines(spks.filter((s) => g(s)).map((s) => `${s} ${g(s)}`)),
      );
    }
    await writeFile(path.join(tmp, 'fbank.conf'), lines(fbankConfLines(fb)));
    const old = `${out}.old-${process.pid}`;
    if (existsSync(out)) await rename(out, old);
    await rename(tmp, out);
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  log(`${fn}: wrote ${utts.length} utterances of ${spks.length} speakers to ${out}`);
  return {
    utterances: utts.length,
    speakers: spks.length,
    frames: utts.reduce((n, u) => n + rows.get(u)!, 0),
    seconds: utts.reduce((n, u) => n + seconds.get(u)!, 0),
    fbank: fb,
  };
}
