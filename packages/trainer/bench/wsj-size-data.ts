// A WSJ-size Kaldi data dir made quickly in a temp folder for memory benchmarks: CM-compressed
// 40-dim fbank-like features, per-speaker CMVN stats, utt2num_frames and word transcripts drawn
// from the bundled corpus lexicon. Utterances (800 frames each, WSJ's 8 s average) reuse
// the compressed bytes of a pool of distinct matrices, so 80 h take a minute to write, not an hour.
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareC, type Matrix, mulberry32, readArk, writeArk } from '@stnas/data-wsj';
import { computeCmvnStats } from '@stnas/features';

/** What {@link makeWsjSizeDataDir} wrote. */
export interface WsjSizeDataDir {
  dir: string;
  utterances: number;
  speakers: number;
  frames: number;
  hours: number;
  /** Bytes of feats.ark. */
  arkBytes: number;
}

const POOL = 256;
const DIM = 40;

/** Writes a data dir of about `hours` of features to `dir`, `uttsPerSpeaker` utterances per speaker. */
export async function makeWsjSizeDataDir(
  dir: string,
  hours: number,
  o: { lexicon: string; seed?: number; uttsPerSpeaker?: number },
): Promise<WsjSizeDataDir> {
  mkdirSync(dir, { recursive: true });
  const rand = mulberry32(o.seed ?? 1);
  // The pool: smooth log-mel-like matrices (per-bin level and slow modulation plus noise).
  const pool: Matrix[] = [];
  for (let p = 0; p < POOL; p++) {
    // one length keeps every batch the same size, so peak RSS compares across corpus sizes (a
    // batch of longer utterances grows the wasm heap by about 315 KB per padded frame)
    const rows = 800;
    const data = new Float32Array(rows * DIM);
    const phase = rand() * 6.28;
    for (let t = 0; t < rows; t++)
      for (let c = 0; c < DIM; c++)
        data[t * DIM + c] = 14 - c * 0.12 + 3 * Math.sin(t * 0.07 + phase + c * 0.3) + (rand() - 0.5) * 2;
    pool.push({ rows, cols: DIM, data });
  }
  const poolArk = path.join(dir, 'pool.ark');
  const { offsets } = await writeArk(
    poolArk,
    pool.map((value, p) => ({ key: `p${p}`, value })),
    { compress: 'CM', scp: false },
  );
  const bytes = readFileSync(poolArk);
  const starts = [...offsets.values()];
  const payload = starts.map((s, p) =>
    bytes.subarray(s, p + 1 < starts.length ? starts[p + 1]! - `p${p + 1} `.length : bytes.length),
  );
  const stats: Matrix[] = [];
  for await (const { value } of readArk(poolArk)) stats.push(computeCmvnStats(value as Matrix));

  const words = [
    ...new Set(
      readFileSync(o.lexicon, 'utf8')
        .split('\n')
        .map((l) => l.split(/\s+/)[0]!),
    ),
  ].filter((w) => w && !w.startsWith('!') && !w.startsWith('<'));
  const perSpk = o.uttsPerSpeaker ?? 128;
  const target = hours * 3600 * 100;
  const utts: Array<{ key: string; spk: string; p: number }> = [];
  let frames = 0;
  for (let u = 0; frames < target; u++) {
    const p = Math.floor(rand() * POOL);
    const spk = `s${String(Math.floor(u / perSpk)).padStart(4, '0')}`;
    utts.push({ key: `${spk}-u${String(u % perSpk).padStart(4, '0')}`, spk, p });
    frames += pool[p]!.rows;
  }
  utts.sort((a, b) => compareC(a.key, b.key));

  const ark = createWriteStream(path.join(dir, 'feats.ark'));
  const scp: string[] = [];
  let at = 0;
  const write = (b: Uint8Array | string) =>
    new Promise<void>((resolve) => {
      const buf = typeof b === 'string' ? Buffer.from(b) : b;
      at += buf.length;
      if (ark.write(buf)) resolve();
      else ark.once('drain', resolve);
    });
  for (const u of utts) {
    await write(`${u.key} `);
    scp.push(`${u.key} feats.ark:${at}`);
    await write(payload[u.p]!);
  }
  await new Promise<void>((resolve, reject) => ark.end((e?: Error | null) => (e ? reject(e) : resolve())));

  const spk2utt = new Map<string, string[]>();
  for (const u of utts) spk2utt.set(u.spk, [...(spk2utt.get(u.spk) ?? []), u.key]);
  const spks = [...spk2utt.keys()].sort(compareC);
  const poolOf = new Map(utts.map((u) => [u.key, u.p]));
  const cmvn = spks.map((s) => {
    const acc = new Float64Array(2 * (DIM + 1));
    for (const key of spk2utt.get(s)!) {
      const st = stats[poolOf.get(key)!]!.data;
      for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + st[i]!;
    }
    return { key: s, value: { rows: 2, cols: DIM + 1, data: acc } };
  });
  await writeArk(path.join(dir, 'cmvn.ark'), cmvn);
  const text = utts.map((u) => {
    const n = Math.max(1, Math.round((pool[u.p]!.rows / 100) * 2));
    return `${u.key} ${Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]!).join(' ')}`;
  });
  const lines = (xs: string[]) => `${xs.join('\n')}\n`;
  writeFileSync(path.join(dir, 'feats.scp'), lines(scp));
  writeFileSync(path.join(dir, 'utt2spk'), lines(utts.map((u) => `${u.key} ${u.spk}`)));
  writeFileSync(path.join(dir, 'spk2utt'), lines(spks.map((s) => `${s} ${spk2utt.get(s)!.join(' ')}`)));
  writeFileSync(path.join(dir, 'utt2num_frames'), lines(utts.map((u) => `${u.key} ${pool[u.p]!.rows}`)));
  writeFileSync(path.join(dir, 'text'), lines(text));
  rmSync(poolArk);
  return {
    dir,
    utterances: utts.length,
    speakers: spks.length,
    frames,
    hours: frames / 360000,
    arkBytes: at,
  };
}
