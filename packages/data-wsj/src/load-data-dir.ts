// A Kaldi/WSJ data dir (see kaldi egs/wsj/s5/utils/validate_data_dir.sh for the rules checked here).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type LoadScpOptions, loadScp, type ScpTable } from './load-scp.ts';
import { compareC, readTable, type TableLine } from './read-table.ts';

/** Options for {@link loadDataDir}. */
export interface LoadDataDirOptions extends LoadScpOptions {
  /** Require `text` (default true). */
  requireText?: boolean;
  /** Require `cmvn.scp` (default false: used when present). */
  requireCmvn?: boolean;
}

/** A loaded and cross-checked data dir. */
export interface DataDir {
  /** The folder. */
  dir: string;
  /** Utterance ids in sorted (C) order. */
  utts: string[];
  /** Speaker ids in sorted (C) order. */
  speakers: string[];
  utt2spk: Map<string, string>;
  spk2utt: Map<string, string[]>;
  /** Transcripts as word lists (only when `text` exists). */
  text: Map<string, string[]> | undefined;
  /** `feats.scp`. */
  feats: ScpTable;
  /** `cmvn.scp`, keyed by speaker (or by utterance when `cmvnPerUtt`). */
  cmvn: ScpTable | undefined;
  /** True when cmvn.scp is keyed by utterance instead of speaker. */
  cmvnPerUtt: boolean;
  /** Frame counts from `utt2num_frames` when present. */
  numFrames: Map<string, number> | undefined;
  /** `wav.scp` entries when present. */
  wav: Map<string, string> | undefined;
  /** Closes the scp file handles. */
  close(): Promise<void>;
}

function checkSorted(lines: { key: string; line: number }[], file: string): void {
  for (let i = 1; i < lines.length; i++) {
    if (compareC(lines[i - 1]!.key, lines[i]!.key) >= 0) {
      throw new Error(
        `${file}:${lines[i]!.line}: keys must be sorted in C order (LC_ALL=C sort), but ${JSON.stringify(lines[i]!.key)} follows ${JSON.stringify(lines[i - 1]!.key)}`,
      );
    }
  }
}

function sameKeys(file: string, keys: string[], expected: Set<string>, expectedFrom: string): void {
  const have = new Set(keys);
  const missing = [...expected].filter((k) => !have.has(k));
  const extra = keys.filter((k) => !expected.has(k));
  if (missing.length || extra.length) {
    const show = (xs: string[]) =>
      xs.slice(0, 5).join(', ') + (xs.length > 5 ? ` (+${xs.length - 5} more)` : '');
    throw new Error(
      `${file}: keys do not match ${expectedFrom}` +
        (missing.length ? `; missing ${missing.length}: ${show(missing)}` : '') +
        (extra.length ? `; extra ${extra.length}: ${show(extra)}` : ''),
    );
  }
}

/**
 * Loads a data dir (`utt2spk`, `spk2utt`, `feats.scp`, and `text`, `cmvn.scp`, `utt2num_frames`,
 * `wav.scp` when present) and cross-checks it: sorted keys, spk2utt the inverse of utt2spk, and the
 * same utterances everywhere; any missing or extra key is named in the error.
 */
export async function loadDataDir(dir: string, opts: LoadDataDirOptions = {}): Promise<DataDir> {
  const p = (f: string) => path.join(dir, f);
  for (const f of ['utt2spk', 'feats.scp']) {
    if (!existsSync(p(f))) throw new Error(`${dir}: not a data dir: ${f} is missing`);
  }
  const u2sLines = await readTable(p('utt2spk'));
  checkSorted(u2sLines, p('utt2spk'));
  const utt2spk = new Map<string, string>();
  for (const l of u2sLines) {
    if (/\s/.test(l.value))
      throw new Error(`${p('utt2spk')}:${l.line}: expected one speaker id, found ${JSON.stringify(l.value)}`);
    utt2spk.set(l.key, l.value);
  }
  const utts = u2sLines.map((l) => l.key);
  const uttSet = new Set(utts);

  const spk2utt = new Map<string, string[]>();
  if (existsSync(p('spk2utt'))) {
    const s2u = await readTable(p('spk2utt'));
    checkSorted(s2u, p('spk2utt'));
    for (const l of s2u) {
      const list = l.value.split(/\s+/);
      for (const u of list) {
        const s = utt2spk.get(u);
        if (s === undefined)
          throw new Error(`${p('spk2utt')}:${l.line}: utterance ${JSON.stringify(u)} is not in utt2spk`);
        if (s !== l.key) {
          throw new Error(
            `${p('spk2utt')}:${l.line}: utterance ${JSON.stringify(u)} is under speaker ${l.key} but utt2spk says ${s}`,
          );
        }
      }
      spk2utt.set(l.key, list);
    }
    for (const [u, s] of utt2spk) {
      if (!spk2utt.get(s)?.includes(u))
        throw new Error(
          `${p('spk2utt')}: utterance ${JSON.stringify(u)} of speaker ${s} (from utt2spk) is missing`,
        );
    }
  } else {
    for (const [u, s] of utt2spk) {
      const l = spk2utt.get(s);
      if (l) l.push(u);
      else spk2utt.set(s, [u]);
    }
  }
  const speakers = [...spk2utt.keys()].sort(compareC);

  const feats = await loadScp(p('feats.scp'), opts);
  const featKeys = feats.keys();
  checkSorted(
    featKeys.map((key, i) => ({ key, line: i + 1 })),
    p('feats.scp'),
  );
  sameKeys(p('feats.scp'), featKeys, uttSet, 'utt2spk');

  let text: Map<string, string[]> | undefined;
  if (existsSync(p('text'))) {
    const t: TableLine[] = await readTable(p('text'), { allowEmptyValue: true });
    checkSorted(t, p('text'));
    sameKeys(
      p('text'),
      t.map((l) => l.key),
      uttSet,
      'utt2spk',
    );
    text = new Map(t.map((l) => [l.key, l.value.split(/\s+/).filter((w) => w.length > 0)]));
  } else if (opts.requireText ?? true) {
    throw new Error(`${dir}: text is missing (pass requireText: false for unlabelled data)`);
  }

  let cmvn: ScpTable | undefined;
  let cmvnPerUtt = false;
  if (existsSync(p('cmvn.scp'))) {
    // CMVN stats are double matrices; keep text-ark stats in double too, as Kaldi reads them.
    cmvn = await loadScp(p('cmvn.scp'), { ...opts, textPrecision: 'float64' });
    const ck = cmvn.keys();
    checkSorted(
      ck.map((key, i) => ({ key, line: i + 1 })),
      p('cmvn.scp'),
    );
    const spkSet = new Set(speakers);
    if (ck.length === utts.length && ck.every((k) => uttSet.has(k)) && !ck.every((k) => spkSet.has(k)))
      cmvnPerUtt = true;
    else sameKeys(p('cmvn.scp'), ck, spkSet, 'the speakers of utt2spk');
  } else if (opts.requireCmvn) {
    throw new Error(`${dir}: cmvn.scp is missing`);
  }

  let numFrames: Map<string, number> | undefined;
  if (existsSync(p('utt2num_frames'))) {
    const t = await readTable(p('utt2num_frames'));
    sameKeys(
      p('utt2num_frames'),
      t.map((l) => l.key),
      uttSet,
      'utt2spk',
    );
    numFrames = new Map();
    for (const l of t) {
      if (!/^\d+$/.test(l.value))
        throw new Error(
          `${p('utt2num_frames')}:${l.line}: expected a frame count, found ${JSON.stringify(l.value)}`,
        );
      numFrames.set(l.key, Number(l.value));
    }
  }
  let wav: Map<string, string> | undefined;
  if (existsSync(p('wav.scp'))) wav = new Map((await readTable(p('wav.scp'))).map((l) => [l.key, l.value]));

  return {
    dir,
    utts,
    speakers,
    utt2spk,
    spk2utt,
    text,
    feats,
    cmvn,
    cmvnPerUtt,
    numFrames,
    wav,
    async close() {
      await feats.close();
      await cmvn?.close();
    },
  };
}
