// Back-off n-gram models in the ARPA format (SRILM's ngram-format(5); the layout Kaldi's
// arpa-file-parser.cc reads): a \data\ header of "ngram N=count" lines, one \N-grams: section per
// order with "log10prob w1 .. wN [log10backoff]" lines, and \end\.
import { readFile } from 'node:fs/promises';
import type { TokenLanguageModel } from './language-model';

/** One order's n-grams: the words joined by a space, mapped to log10 probability and back-off. */
export type NgramTable = Map<string, { readonly logProb10: number; readonly backoff10: number }>;

/** Thrown for a malformed ARPA file; the message names the source and line. */
export class ArpaFormatError extends Error {
  override name = 'ArpaFormatError';
}

/**
 * A back-off n-gram model (Katz / Kneser-Ney smoothed, as written by SRILM or KenLM) usable as a
 * {@link TokenLanguageModel}. Words missing from the unigrams map to `<unk>` when the model has it
 * and are impossible (log-probability -Infinity) otherwise.
 */
export class ArpaModel implements TokenLanguageModel {
  /** Highest n-gram order. */
  readonly order: number;
  /** The n-grams of each order; `ngrams[0]` holds the unigrams. */
  readonly ngrams: readonly NgramTable[];
  readonly startState: number;
  private readonly histories: string[][] = [];
  private readonly stateIds = new Map<string, number>();
  private readonly cache: Map<string, { logProb: number; state: number }>[] = [];

  constructor(ngrams: readonly NgramTable[]) {
    if (ngrams.length === 0 || ngrams[0]!.size === 0)
      throw new ArpaFormatError('ArpaModel: the model has no unigrams');
    this.order = ngrams.length;
    this.ngrams = ngrams;
    this.startState = this.stateOf(['<s>']);
  }

  /** The words of the model's vocabulary (its unigrams). */
  get vocabulary(): string[] {
    return [...this.ngrams[0]!.keys()];
  }

  /** log10 P(word | history) by back-off; `history` is oldest first. */
  logProb10(history: readonly string[], word: string): number {
    const w = this.ngrams[0]!.has(word) ? word : this.ngrams[0]!.has('<unk>') ? '<unk>' : undefined;
    if (w === undefined) return Number.NEGATIVE_INFINITY;
    let h = history.slice(Math.max(0, history.length - (this.order - 1)));
    let backoff = 0;
    for (;;) {
      const hit = this.ngrams[h.length]!.get(h.length ? `${h.join(' ')} ${w}` : w);
      if (hit) return backoff + hit.logProb10;
      // Every prefix of a listed n-gram is listed, so a missing history has no back-off weight.
      backoff += this.ngrams[h.length - 1]!.get(h.join(' '))?.backoff10 ?? 0;
      h = h.slice(1);
    }
  }

  /** log10 probability of a whole sentence, `<s>` and `</s>` included. */
  sentenceLogProb10(words: readonly string[]): number {
    let total = 0;
    const h = ['<s>'];
    for (const w of [...words, '</s>']) {
      total += this.logProb10(h, w);
      h.push(w);
    }
    return total;
  }

  next(state: number, word: string): { logProb: number; state: number } {
    const cache = this.cache[state]!;
    const hit = cache.get(word);
    if (hit) return hit;
    const h = this.histories[state]!;
    const logProb = this.logProb10(h, word) * Math.LN10;
    const next = [...h, word].slice(-Math.max(1, this.order - 1));
    const out = { logProb, state: this.stateOf(next) };
    cache.set(word, out);
    return out;
  }

  end(state: number): number {
    return this.next(state, '</s>').logProb;
  }

  private stateOf(history: string[]): number {
    const key = history.join(' ');
    let id = this.stateIds.get(key);
    if (id === undefined) {
      id = this.histories.length;
      this.histories.push(history);
      this.cache.push(new Map());
      this.stateIds.set(key, id);
    }
    return id;
  }
}

/** Parses the text of an ARPA file; `source` names it in error messages. */
export function parseArpa(text: string, source = '<arpa>'): ArpaModel {
  const lines = text.split(/\r?\n/);
  const fail = (i: number, what: string): never => {
    throw new ArpaFormatError(`${source}:${i + 1}: ${what}`);
  };
  let i = 0;
  while (i < lines.length && lines[i]!.trim() !== '\\data\\') i++;
  if (i === lines.length) fail(0, 'no \\data\\ section');
  i++;
  const counts: number[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') {
      if (counts.length) break;
      continue;
    }
    const m = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(line);
    if (!m) {
      if (line.startsWith('\\')) break;
      fail(i, `expected "ngram N=count" in the \\data\\ section, got "${line}"`);
    }
    const n = Number(m![1]);
    if (n !== counts.length + 1) fail(i, `expected the count of ${counts.length + 1}-grams, got ngram ${n}`);
    counts.push(Number(m![2]));
  }
  if (counts.length === 0) fail(i, 'the \\data\\ section declares no n-gram counts');
  const tables: NgramTable[] = counts.map(() => new Map());
  for (let n = 1; n <= counts.length; n++) {
    while (i < lines.length && lines[i]!.trim() === '') i++;
    if (lines[i]?.trim() !== `\\${n}-grams:`)
      fail(i, `expected "\\${n}-grams:", got "${lines[i]?.trim() ?? 'end of file'}"`);
    i++;
    const table = tables[n - 1]!;
    for (; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      if (line.startsWith('\\')) break;
      const f = line.split(/\s+/);
      if (f.length !== n + 1 && f.length !== n + 2) {
        fail(
          i,
          `a ${n}-gram line needs a log10 probability, ${n} word(s) and an optional back-off; got "${line}"`,
        );
      }
      const logProb10 = Number(f[0]);
      const backoff10 = f.length === n + 2 ? Number(f[n + 1]) : 0;
      if (Number.isNaN(logProb10) || Number.isNaN(backoff10) || logProb10 > 0) {
        fail(i, `expected log10 probability <= 0 and a numeric back-off, got "${line}"`);
      }
      table.set(f.slice(1, n + 1).join(' '), { logProb10, backoff10 });
    }
    if (table.size !== counts[n - 1]) {
      fail(i, `\\data\\ declares ${counts[n - 1]} ${n}-grams but the section holds ${table.size}`);
    }
  }
  while (i < lines.length && lines[i]!.trim() === '') i++;
  if (lines[i]?.trim() !== '\\end\\')
    fail(i, `expected "\\end\\", got "${lines[i]?.trim() ?? 'end of file'}"`);
  return new ArpaModel(tables);
}

/** Reads an ARPA file into an {@link ArpaModel}. */
export async function loadArpa(path: string): Promise<ArpaModel> {
  return parseArpa(await readFile(path, 'utf8'), path);
}
