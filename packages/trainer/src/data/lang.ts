import { existsSync, readFileSync } from 'node:fs';
import { parseLexicon, parseUnits } from '@stnas/data-wsj';
import { InputError } from '../errors';

/** Phone units: name to id, with the blank at id 0 (CAT's `units.txt`: `<unit> <id>` per line). */
export interface Units {
  /** Unit names by id; index 0 is the blank. */
  names: string[];
  ids: Map<string, number>;
}

/** A word to phones lexicon; the first pronunciation of a word is used. */
export type Lexicon = Map<string, string[]>;

function readText(file: string, what: string): string {
  if (!existsSync(file)) throw new InputError(`${what} ${file} does not exist`);
  return readFileSync(file, 'utf8');
}

/** Runs a @stnas/data-wsj parser, turning its error (which names the file and line) into an InputError. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new InputError(err instanceof Error ? err.message : String(err));
  }
}

/** Reads a units file (`<unit> <id>`, ids 0..N-1 in order with 0 the blank); errors name the file and line. */
export function readUnits(file: string): Units {
  const names = parsed(() => parseUnits(readText(file, 'units file'), file));
  if (names.length < 2)
    throw new InputError(`${file}: expected a blank and at least one unit, got ${names.length} line(s)`);
  return { names, ids: new Map(names.map((n, i) => [n, i])) };
}

/**
 * Reads a lexicon (`WORD phone phone ...`, `#` comments) with @stnas/data-wsj's parser and keeps
 * each word's first pronunciation; errors name the file and line.
 */
export function readLexicon(file: string): Lexicon {
  const all = parsed(() => parseLexicon(readText(file, 'lexicon'), file));
  if (all.size === 0) throw new InputError(`${file}: the lexicon is empty`);
  return new Map([...all].map(([word, prons]) => [word, prons[0]!]));
}

/** Maps a word transcript to unit ids through the lexicon; OOV words are counted and left out. */
export function wordsToUnits(
  words: readonly string[],
  lexicon: Lexicon,
  units: Units,
  where: string,
): { labels: Int32Array; oov: number } {
  const out: number[] = [];
  let oov = 0;
  for (const w of words) {
    const phones = lexicon.get(w);
    if (!phones) {
      oov++;
      continue;
    }
    for (const p of phones) {
      const id = units.ids.get(p);
      if (id === undefined || id === 0) {
        throw new InputError(
          `${where}: the lexicon maps "${w}" to phone "${p}", which is not a unit (or is the blank)`,
        );
      }
      out.push(id);
    }
  }
  return { labels: Int32Array.from(out), oov };
}
