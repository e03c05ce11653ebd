// `stnas prepare`: features from raw audio (a Kaldi data dir with wav.scp, or a LibriSpeech subset
// folder) through @stnas/features' prepareDataDir, and the lang/ dir the training commands look for
// beside the data dir (`<dirname(out)>/lang`: lexicon.txt, units.txt).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildUnits, parseLexicon } from '@stnas/data-wsj';
import type { FbankOptions, PrepareSummary } from '@stnas/features';
import { InputError } from '../errors';
import { ensureDir } from '../files';
import { writeFileAtomic } from '../training/checkpoint';
import { createProgress, type ProgressSink } from '../training/progress';
import { cmudictLexiconLines } from './cmudict-lexicon';

/** Inputs of {@link runPrepare}. */
export interface PrepareInputs {
  /** A Kaldi data dir whose wav.scp lists WAV or FLAC files (exclusive with `librispeech`). */
  data?: string;
  /** A LibriSpeech subset folder: `<reader>/<chapter>/<reader>-<chapter>-<utt>.flac` + `.trans.txt`. */
  librispeech?: string;
  out: string;
  /** A Kaldi fbank.conf path or options (default: found beside the data dir, else 40 mel bins). */
  fbankConfig?: string | FbankOptions;
  /** CM-compressed features (default true), as make_fbank.sh. */
  compress?: boolean;
  allowPipes?: boolean;
  /** `cmudict`, a lexicon file, or none (then no lang/ dir is written and no OOVs are counted). */
  lexicon?: string;
  workers?: number;
  seed?: number;
  progress?: ProgressSink;
  log?: (line: string) => void;
}

/** What {@link runPrepare} did. */
export interface PrepareResult extends PrepareSummary {
  /** The lang/ dir written or checked, when a lexicon was given. */
  lang?: string;
  /** Distinct transcript words not in the lexicon, and their total count. */
  oovWords: number;
  oovTokens: number;
  tokens: number;
  /** `<out>/oov.txt` (`WORD COUNT`, most frequent first) when there are OOVs. */
  oovFile?: string;
}

const lines = (xs: string[]) => (xs.length ? `${xs.join('\n')}\n` : '');

function parsed<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

/** Writes `file` unless it already holds `text`; a different existing file is an error naming it. */
function writeOrCheck(file: string, text: string): void {
  if (existsSync(file)) {
    if (readFileSync(file, 'utf8') === text) return;
    throw new InputError(
      `${file} already exists with other content; remove it or prepare into another folder (lang/ sits beside --out)`,
    );
  }
  writeFileAtomic(file, text);
}

/**
 * Prepares a feature data dir from audio (see `prepareDataDir`) with a progress bar, then with a
 * lexicon writes `<dirname(out)>/lang/{lexicon.txt,units.txt}` and counts transcript words not in
 * it, listing them in `<out>/oov.txt` and in one log line.
 */
export async function runPrepare(i: PrepareInputs): Promise<PrepareResult> {
  const log = i.log ?? (() => {});
  if ((i.data === undefined) === (i.librispeech === undefined))
    throw new InputError('prepare needs exactly one of --data and --librispeech');
  const { prepareDataDir, readLibriSpeech } = await import('@stnas/features');
  const sink = i.progress ?? { write: () => {}, isTTY: false };
  let bar: ReturnType<typeof createProgress> | undefined;
  let summary: PrepareSummary;
  try {
    const data = i.librispeech !== undefined ? await readLibriSpeech(i.librispeech) : i.data!;
    summary = await prepareDataDir({
      data,
      out: i.out,
      fbankConfig: i.fbankConfig,
      compress: i.compress,
      allowPipes: i.allowPipes,
      workers: i.workers,
      seed: i.seed,
      log,
      onProgress(done, total, frames) {
        bar ??= createProgress('prepare', total, sink);
        bar.update({ done, frames });
      },
    });
    bar?.finish();
  } catch (err) {
    bar?.finish();
    if (err instanceof InputError) throw err;
    throw new InputError((err as Error).message);
  }
  const result: PrepareResult = { ...summary, oovWords: 0, oovTokens: 0, tokens: 0 };
  if (i.lexicon === undefined) return result;

  const lang = ensureDir(path.join(path.dirname(path.resolve(i.out)), 'lang'));
  let lexText: string;
  if (i.lexicon === 'cmudict') lexText = lines(await cmudictLexiconLines());
  else {
    if (!existsSync(i.lexicon)) throw new InputError(`lexicon ${i.lexicon} does not exist`);
    lexText = readFileSync(i.lexicon, 'utf8');
  }
  const lexicon = parsed(() => parseLexicon(lexText, i.lexicon));
  const unitLines = parsed(() => buildUnits(lexicon)).map((u, k) => `${u} ${k}`);
  writeOrCheck(path.join(lang, 'lexicon.txt'), lexText);
  writeOrCheck(path.join(lang, 'units.txt'), lines(unitLines));
  result.lang = lang;

  const textFile = path.join(summary.out, 'text');
  if (!existsSync(textFile)) return result;
  const oov = new Map<string, number>();
  for (const l of readFileSync(textFile, 'utf8').split('\n')) {
    const toks = l.trim().split(/\s+/).slice(1);
    for (const w of toks) {
      result.tokens++;
      if (!lexicon.has(w)) oov.set(w, (oov.get(w) ?? 0) + 1);
    }
  }
  result.oovWords = oov.size;
  result.oovTokens = [...oov.values()].reduce((a, b) => a + b, 0);
  const oovFile = path.join(summary.out, 'oov.txt');
  if (oov.size > 0) {
    const sorted = [...oov].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    writeFileAtomic(oovFile, lines(sorted.map(([w, n]) => `${w} ${n}`)));
    result.oovFile = oovFile;
  }
  log(
    `prepare: ${oov.size} word${oov.size === 1 ? '' : 's'} (${result.oovTokens} of ${result.tokens} tokens, ${((100 * result.oovTokens) / Math.max(1, result.tokens)).toFixed(2)}%) ${oov.size === 1 ? 'is' : 'are'} not in the lexicon${oov.size ? `; listed in ${oovFile}` : ''}`,
  );
  return result;
}
