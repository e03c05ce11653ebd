// Lexicon and CTC label units as in the WSJ phone recipes (kaldi egs/wsj/s5/local/wsj_prepare_dict.sh
// for the lexicon; EESEN/CAT-style units.txt with the CTC blank at id 0).
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { compareC } from './read-table.ts';

/** Word to pronunciations (each a list of phones), in file order. */
export type Lexicon = Map<string, string[][]>;

/** Options for reading a lexicon. */
export interface LexiconOptions {
  /** Strip CMUdict stress digits (`AH0` becomes `AH`). Default false. */
  stripStress?: boolean;
}

/** Removes a trailing stress digit 0-2 from a CMUdict phone. */
export function stripStressDigit(phone: string): string {
  return phone.replace(/^([A-Za-z]+)[0-2]$/, '$1');
}

/** Parses `WORD PH1 PH2 ...` lines; `#` starts a comment; duplicates add alternate pronunciations. */
export function parseLexicon(text: string, file = 'lexicon', opts: LexiconOptions = {}): Lexicon {
  const lex: Lexicon = new Map();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.replace(/#.*$/, '').trim();
    if (l === '') continue;
    const toks = l.split(/\s+/);
    if (toks.length < 2)
      throw new Error(`${file}:${i + 1}: word ${JSON.stringify(toks[0])} has no pronunciation`);
    const word = toks[0]!;
    const phones = toks.slice(1).map((p) => (opts.stripStress ? stripStressDigit(p) : p));
    const prons = lex.get(word);
    if (prons) {
      if (!prons.some((q) => q.join(' ') === phones.join(' '))) prons.push(phones);
    } else lex.set(word, [phones]);
  }
  return lex;
}

/** Reads a lexicon file (see {@link parseLexicon}). */
export async function readLexicon(file: string, opts: LexiconOptions = {}): Promise<Lexicon> {
  return parseLexicon(await readFile(file, 'utf8'), file, opts);
}

/** The unit list: `blank` at id 0, then every phone of the lexicon in C order. */
export function buildUnits(lexicon: Lexicon, opts: { blank?: string } = {}): string[] {
  const blank = opts.blank ?? '<blk>';
  const set = new Set<string>();
  for (const prons of lexicon.values()) for (const p of prons) for (const ph of p) set.add(ph);
  if (set.has(blank)) throw new Error(`buildUnits: the lexicon uses the blank symbol ${blank} as a phone`);
  return [blank, ...[...set].sort(compareC)];
}

/** Writes `units.txt` (`unit id` per line) atomically. */
export async function writeUnits(file: string, units: string[]): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, units.map((u, i) => `${u} ${i}\n`).join(''));
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Parses `units.txt` / `tokens.txt` text (`unit id` per line); ids must be 0..N-1 in order, no repeats. */
export function parseUnits(text: string, file = 'units'): string[] {
  const units: string[] = [];
  const lines = text.split('\n');
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '') continue;
    const m = /^(\S+)\s+(\d+)$/.exec(l);
    if (!m) throw new Error(`${file}:${i + 1}: expected "unit id", found ${JSON.stringify(l)}`);
    const id = Number(m[2]);
    if (id !== units.length) throw new Error(`${file}:${i + 1}: expected id ${units.length}, found ${id}`);
    if (seen.has(m[1]!)) throw new Error(`${file}:${i + 1}: unit ${m[1]} appears twice`);
    seen.add(m[1]!);
    units.push(m[1]!);
  }
  return units;
}

/** Reads `units.txt` / `tokens.txt` (see {@link parseUnits}). */
export async function readUnits(file: string): Promise<string[]> {
  return parseUnits(await readFile(file, 'utf8'), file);
}

/** Options for {@link transcriptToIds} and {@link labelTranscripts}. */
export interface LabelOptions {
  /** Lexicon word used for out-of-vocabulary words (default `<UNK>`); `null` drops OOV words. */
  unk?: string | null;
}

/** Result of mapping one transcript. */
export interface LabelResult {
  ids: Int32Array;
  /** Words not in the lexicon, in order of appearance. */
  oov: string[];
}

/** Maps a word sequence to unit ids using each word's first pronunciation; OOVs go to `<UNK>`. */
export function transcriptToIds(
  words: string[],
  lexicon: Lexicon,
  units: string[],
  opts: LabelOptions = {},
): LabelResult {
  const unk = opts.unk === undefined ? '<UNK>' : opts.unk;
  const index = new Map(units.map((u, i) => [u, i]));
  const ids: number[] = [];
  const oov: string[] = [];
  for (const w of words) {
    let pron = lexicon.get(w)?.[0];
    if (!pron) {
      oov.push(w);
      if (unk === null) continue;
      pron = lexicon.get(unk)?.[0];
      if (!pron)
        throw new Error(
          `transcriptToIds: ${JSON.stringify(w)} is not in the lexicon and neither is the unk word ${JSON.stringify(unk)}`,
        );
    }
    for (const ph of pron) {
      const id = index.get(ph);
      if (id === undefined)
        throw new Error(
          `transcriptToIds: phone ${JSON.stringify(ph)} of ${JSON.stringify(w)} is not in the unit list`,
        );
      if (id === 0) throw new Error(`transcriptToIds: phone ${JSON.stringify(ph)} maps to the blank id 0`);
      ids.push(id);
    }
  }
  return { ids: Int32Array.from(ids), oov };
}

/** Labels every transcript of a data dir's `text`; returns the labels and OOV word counts. */
export function labelTranscripts(
  text: Map<string, string[]>,
  lexicon: Lexicon,
  units: string[],
  opts: LabelOptions = {},
): { labels: Map<string, Int32Array>; oov: Map<string, number> } {
  const labels = new Map<string, Int32Array>();
  const oov = new Map<string, number>();
  for (const [utt, words] of text) {
    const r = transcriptToIds(words, lexicon, units, opts);
    labels.set(utt, r.ids);
    for (const w of r.oov) oov.set(w, (oov.get(w) ?? 0) + 1);
  }
  return { labels, oov };
}
