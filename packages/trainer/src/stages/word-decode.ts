// Word-level decoding of a trained model: the model's log-posteriors (through runDecode's
// onLogProbs hook, so the forward pass and feature pipeline are decode's own) searched with
// @stnas/ctc's lexiconBeamSearch and a word n-gram LM, scored as a word error rate against the
// data dir's transcripts. The LM weight and word bonus can be tuned on a dev set with a small grid,
// as Kaldi and ESPnet recipes do, and the chosen values are written beside the run.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ArpaModel, errorRate, lexiconBeamSearch, loadArpa } from '@stnas/ctc';
import { parseLexicon, parseTable } from '@stnas/data-wsj';
import { readUnits, type Units } from '../data/lang';
import { InputError } from '../errors';
import { type DecodeInputs, type DecodeResult, readModelManifest, runDecode } from './decode';

/** A lexicon for {@link lexiconBeamSearch}: every pronunciation of each word, as unit ids. */
export type WordLexicon = Map<string, number[][]>;

/** The weights of a word-LM search. */
export interface WordSearchSettings {
  /** Weight of the LM's natural-log probability. */
  lmWeight: number;
  /** Score added per word. */
  wordBonus: number;
  /** Hypotheses kept per frame. */
  beam: number;
}

/** The log-posteriors of a decoded data dir, one row-major `[frames, classes]` array per utterance. */
export interface Posteriors {
  keys: string[];
  logProbs: Float32Array[];
  frames: number[];
  classes: number;
}

/** One point of the tuning grid and its dev WER. */
export interface TuningPoint {
  lmWeight: number;
  wordBonus: number;
  wer: number;
}

/** What tuning on a dev set chose, with the whole grid. */
export interface WordLmTuning extends WordSearchSettings {
  dev: string;
  wer: number;
  grid: TuningPoint[];
}

/** The default tuning grid: LM weights and word bonuses in the range recipes search. */
export const DEFAULT_TUNING_GRID = {
  lmWeights: [0.25, 0.5, 1, 1.5, 2],
  wordBonuses: [-1, 0, 1, 2],
} as const;

/**
 * Reads a lexicon (`WORD phone ...`) with all its pronunciations as unit ids. Non-speech entries
 * (`!SIL`, `<noise>`-style and `[noise]`-style words) are left out, since transcripts do not hold
 * them; a phone that is not a unit is an error naming the file and word.
 */
export function readWordLexicon(file: string, units: Units): WordLexicon {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`lexicon ${file} cannot be read`);
  }
  let parsed: Map<string, string[][]>;
  try {
    parsed = parseLexicon(text, file);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  const out: WordLexicon = new Map();
  for (const [word, prons] of parsed) {
    if (/^(!|<.*>$|\[.*\]$)/.test(word)) continue;
    out.set(
      word,
      prons.map((pron) =>
        pron.map((p) => {
          const id = units.ids.get(p);
          if (id === undefined || id === 0)
            throw new InputError(
              `${file}: word "${word}" uses phone "${p}", which is not a unit (or is the blank)`,
            );
          return id;
        }),
      ),
    );
  }
  if (out.size === 0) throw new InputError(`${file}: the lexicon has no words`);
  return out;
}

/** Reads a Kaldi `text` file (`utterance-id word ...` per line) as utterance id to words. */
export function readTranscripts(file: string): Map<string, string[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`transcripts ${file} cannot be read (expected a Kaldi text file)`);
  }
  try {
    return new Map(
      parseTable(text, file, { allowEmptyValue: true }).map((l) => [
        l.key,
        l.value.split(/\s+/).filter(Boolean),
      ]),
    );
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}

/** Searches every utterance's posteriors for its best word sequence. */
export function searchWords(
  post: Posteriors,
  lexicon: WordLexicon,
  lm: ArpaModel,
  s: WordSearchSettings,
): string[][] {
  return post.logProbs.map((data, u) => {
    const shape = [1, post.frames[u]!, post.classes] as [number, number, number];
    const [best] = lexiconBeamSearch({ data, shape }, [post.frames[u]!], {
      lexicon,
      lm,
      lmWeight: s.lmWeight,
      wordBonus: s.wordBonus,
      beamWidth: s.beam,
    })[0]!;
    return best?.words ?? [];
  });
}

/** Corpus word error rate of hypotheses against the transcripts of their utterances. */
export function wordErrors(
  post: Posteriors,
  transcripts: Map<string, string[]>,
  hyps: string[][],
  where: string,
) {
  const refs = post.keys.map((k) => {
    const r = transcripts.get(k);
    if (!r) throw new InputError(`${path.join(where, 'text')}: no transcript for utterance "${k}"`);
    return r;
  });
  return errorRate(refs, hyps);
}

/** Grid search of the LM weight and word bonus on a dev set's posteriors, by WER (ties: first). */
export function tuneWordSearch(
  post: Posteriors,
  transcripts: Map<string, string[]>,
  lexicon: WordLexicon,
  lm: ArpaModel,
  o: { beam: number; dev: string; grid?: { lmWeights: readonly number[]; wordBonuses: readonly number[] } },
): WordLmTuning {
  const grid = o.grid ?? DEFAULT_TUNING_GRID;
  const points: TuningPoint[] = [];
  for (const lmWeight of grid.lmWeights) {
    for (const wordBonus of grid.wordBonuses) {
      const hyps = searchWords(post, lexicon, lm, { lmWeight, wordBonus, beam: o.beam });
      points.push({ lmWeight, wordBonus, wer: wordErrors(post, transcripts, hyps, o.dev).rate });
    }
  }
  const best = points.reduce((a, b) => (b.wer < a.wer ? b : a));
  return {
    dev: o.dev,
    lmWeight: best.lmWeight,
    wordBonus: best.wordBonus,
    beam: o.beam,
    wer: best.wer,
    grid: points,
  };
}

/** Options of {@link runWordDecode}: those of `stnas decode` plus the word LM's. */
export interface WordDecodeInputs extends DecodeInputs {
  /** Word n-gram LM in ARPA format. */
  wordLm: string;
  /** LM weight of the word search (default 0.5; replaced by tuning). */
  wordLmWeight?: number;
  /** Word bonus (default 0; replaced by tuning). */
  wordBonus?: number;
  /** Beam of the word search (default 16). */
  wordBeam?: number;
  /** A dev data dir to tune the LM weight and word bonus on. */
  tuneDev?: string;
  /** Where to write the tuning result (JSON), when tuning. */
  tuningFile?: string;
}

/** What `stnas decode --word-lm` reports: decode's phone results plus the word error rate. */
export interface WordDecodeResult extends DecodeResult {
  /** Word error rate (errors / reference words) of the word-LM search. */
  wer: number;
  wordErrors: number;
  refWords: number;
  /** The settings the word search ran with. */
  wordSearch: WordSearchSettings;
  /** The tuning, when a dev set was given. */
  tuning?: WordLmTuning;
}

/** Copies each utterance's rows out of a decoded batch. */
function collector(post: Posteriors): NonNullable<DecodeInputs['onLogProbs']> {
  return (keys, { data, shape }, lengths) => {
    const [, T, C] = shape;
    post.classes = C;
    keys.forEach((key, b) => {
      const n = lengths[b]!;
      post.keys.push(key);
      post.frames.push(n);
      post.logProbs.push(data.slice(b * T * C, (b * T + n) * C));
    });
  };
}

const emptyPosteriors = (): Posteriors => ({ keys: [], logProbs: [], frames: [], classes: 0 });

/**
 * Decodes a data dir with a model to phones (greedy PER, as `runDecode`) and to words with a word
 * n-gram LM (WER), optionally tuning the LM weight and word bonus on a dev set first.
 */
export async function runWordDecode(i: WordDecodeInputs): Promise<WordDecodeResult> {
  const m = readModelManifest(i.model);
  const units = readUnits(path.join(i.model, m.units));
  const lexicon = readWordLexicon(i.lexicon ?? path.join(i.model, m.lexicon), units);
  const lm = await loadArpa(i.wordLm);
  const known = new Set(lm.ngrams[0]!.keys());
  if (![...lexicon.keys()].some((w) => known.has(w)))
    throw new InputError(`${i.wordLm}: none of the lexicon's ${lexicon.size} words is a word of the LM`);
  let settings: WordSearchSettings = {
    lmWeight: i.wordLmWeight ?? 0.5,
    wordBonus: i.wordBonus ?? 0,
    beam: i.wordBeam ?? 16,
  };
  let tuning: WordLmTuning | undefined;
  if (i.tuneDev) {
    const dev = emptyPosteriors();
    await runDecode({
      ...i,
      data: i.tuneDev,
      beam: 0,
      lm: undefined,
      writeLogits: undefined,
      onLogProbs: collector(dev),
    });
    tuning = tuneWordSearch(dev, readTranscripts(path.join(i.tuneDev, 'text')), lexicon, lm, {
      beam: settings.beam,
      dev: i.tuneDev,
    });
    settings = { lmWeight: tuning.lmWeight, wordBonus: tuning.wordBonus, beam: tuning.beam };
    if (i.tuningFile) await writeFile(i.tuningFile, `${JSON.stringify(tuning, null, 2)}\n`);
  }
  const test = emptyPosteriors();
  // The PER beside the WER is the greedy one; the beam belongs to the word search.
  const phones = await runDecode({ ...i, beam: 0, lm: undefined, onLogProbs: collector(test) });
  const hyps = searchWords(test, lexicon, lm, settings);
  const e = wordErrors(test, readTranscripts(path.join(i.data, 'text')), hyps, i.data);
  return {
    ...phones,
    wer: e.rate,
    wordErrors: e.errors,
    refWords: e.refLength,
    wordSearch: settings,
    ...(tuning ? { tuning } : {}),
  };
}
