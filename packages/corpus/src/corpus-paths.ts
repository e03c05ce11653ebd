import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The three Kaldi data dirs of the corpus. */
export type CorpusSplit = 'train' | 'dev' | 'test';

/** Absolute paths of the bundled corpus's parts. */
export interface CorpusSplits {
  /** 16 speakers, 800 utterances. */
  train: string;
  /** 3 held-out speakers, 90 utterances. */
  dev: string;
  /** 4 held-out speakers, 120 utterances, sentences unseen in train and dev. */
  test: string;
}

// src/corpus-paths.ts and dist/index.js both sit one level below the package root, next to data/.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of the corpus's `data` folder (train/, dev/, test/, lang/). */
export function corpusDir(): string {
  return path.join(root, 'data');
}

/** Absolute paths of the train, dev and test Kaldi data dirs. */
export function corpusSplits(): CorpusSplits {
  const d = corpusDir();
  return { train: path.join(d, 'train'), dev: path.join(d, 'dev'), test: path.join(d, 'test') };
}

/** Absolute path of `lang/lexicon.txt` (CMUdict, stress removed, plus `!SIL SIL`). */
export function lexiconPath(): string {
  return path.join(corpusDir(), 'lang', 'lexicon.txt');
}

/** Absolute path of `lang/units.txt` (`<blk> 0`, then 39 phones and SIL). */
export function unitsPath(): string {
  return path.join(corpusDir(), 'lang', 'units.txt');
}
