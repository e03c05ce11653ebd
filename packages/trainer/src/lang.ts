import { existsSync, readFileSync } from 'node:fs';
import { InputError } from './errors';

/** Phone units: name to id, with the blank at id 0 (CAT's `units.txt`: `<unit> <id>` per line). */
export interface Units {
  /** Unit names by id; index 0 is the blank. */
  names: string[];
  ids: Map<string, number>;
}

/** A word to phones lexicon; the first pronunciation of a word is used. */
export type Lexicon = Map<string, string[]>;

function readLines(file: string, what: string): string[] {
  if (!existsSync(file)) throw new InputError(`${what} ${file} does not exist`);
  return readFileSync(file, 'utf8').split('\n');
}

/** Reads a units file (`<unit> <id>`, ids 0..N-1 with 0 the blank); errors name the file and line. */
export function readUnits(file: string): Units {
  const names: string[] = [];
  readLines(file, 'units file').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(\S+)\s+(\d+)$/.exec(line);
    if (!m) throw new InputError(`${file}:${i + 1}: expected "<unit> <id>", got "${line.slice(0, 60)}"`);
    const id = Number(m[2]);
    if (names[id] !== undefined) throw new InputError(`${file}:${i + 1}: id ${id} is used twice`);
    names[id] = m[1]!;
  });
  for (let i = 0; i < names.length; i++) {
    if (names[i] === undefined)
      throw new InputError(`${file}: ids must be 0..${names.length - 1} without gaps; ${i} is missing`);
  }
  if (names.length < 2)
    throw new InputError(`${file}: expected a blank and at least one unit, got ${names.length} line(s)`);
  return { names, ids: new Map(names.map((n, i) => [n, i])) };
}

/** Reads a lexicon (`WORD phone phone ...`); errors name the file and line. */
export function readLexicon(file: string): Lexicon {
  const lex: Lexicon = new Map();
  readLines(file, 'lexicon').forEach((raw, i) => {
    const parts = raw.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) return;
    if (parts.length < 2)
      throw new InputError(`${file}:${i + 1}: expected "WORD phone ...", got "${raw.trim()}"`);
    if (!lex.has(parts[0]!)) lex.set(parts[0]!, parts.slice(1));
  });
  if (lex.size === 0) throw new InputError(`${file}: the lexicon is empty`);
  return lex;
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
