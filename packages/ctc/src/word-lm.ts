// Word n-gram LM estimation with interpolated Kneser-Ney smoothing, as KenLM's lmplz computes it
// (Heafield et al., "Scalable modified Kneser-Ney language model estimation", ACL 2013; Chen and
// Goodman, "An empirical study of smoothing techniques for language modeling", 1998, section
// 3.5): adjusted counts (the highest order's raw counts; for lower orders the number of distinct
// words seen before the n-gram, except n-grams starting with <s>, which keep raw counts), three
// discounts per order from the count-of-counts, interpolation down to the uniform distribution
// over the vocabulary (<unk> included, <s> excluded), written as an exact back-off model.
import { ArpaModel, type NgramTable } from './arpa-model';
import { BOS, countNgrams, EOS } from './ngram-counts';

/** Smoothing of {@link estimateWordLm}. */
export type WordLmSmoothing = 'modified-kneser-ney' | 'kneser-ney';

/** Options of {@link estimateWordLm}. */
export interface WordLmOptions {
  /** Highest n-gram order (default 3). */
  readonly order?: number;
  /**
   * `'modified-kneser-ney'` (default; lmplz, SRILM `-kndiscount -interpolate`): discounts D1, D2,
   * D3+ per order; `'kneser-ney'`: one discount D = n1 / (n1 + 2 n2) per order.
   */
  readonly smoothing?: WordLmSmoothing;
  /** Where the sentences come from, for error messages (default 'sentences'). */
  readonly source?: string;
}

/** Thrown for bad arguments of {@link estimateWordLm}; the message names the argument. */
export class WordLmError extends Error {
  override name = 'WordLmError';
}

const UNK = '<unk>';
/** lmplz's --discount_fallback defaults, used when the count-of-counts cannot give discounts. */
const FALLBACK = [0.5, 1, 1.5] as const;

/**
 * Discounts [D1, D2, D3+] of one order from the count-of-counts t[k] (k = 1..4) of its adjusted
 * counts (Chen and Goodman eq. 26). Small corpora lack some of t1..t4 or give a discount outside
 * (0, k); lmplz stops there unless told `--discount_fallback`, and we fall back likewise.
 */
function discounts(t: readonly number[], smoothing: WordLmSmoothing): [number, number, number] {
  const [, t1 = 0, t2 = 0, t3 = 0, t4 = 0] = t;
  if (smoothing === 'kneser-ney') {
    const d = t1 > 0 && t2 > 0 ? t1 / (t1 + 2 * t2) : FALLBACK[0];
    return [d, d, d];
  }
  if (t1 === 0 || t2 === 0 || t3 === 0 || t4 === 0) return [...FALLBACK];
  const y = t1 / (t1 + 2 * t2);
  const d: [number, number, number] = [1 - (2 * y * t2) / t1, 2 - (3 * y * t3) / t2, 3 - (4 * y * t4) / t3];
  return d.every((x, k) => x > 0 && x < k + 1) ? d : [...FALLBACK];
}

/**
 * Estimates a word n-gram LM from tokenised sentences (without `<s>` / `</s>`), smoothed with
 * interpolated (modified) Kneser-Ney; the result has `<unk>` with the uniform share of the mass
 * and can be written with `writeArpa`.
 *
 * ```ts
 * const lm = estimateWordLm([['THE', 'CAT'], ['THE', 'DOG']], { order: 3 });
 * lm.sentenceLogProb10(['THE', 'CAT']);
 * ```
 */
export function estimateWordLm(
  sentences: ReadonlyArray<ReadonlyArray<string>>,
  options: WordLmOptions = {},
): ArpaModel {
  const fn = 'estimateWordLm';
  const src = options.source ?? 'sentences';
  const order = options.order ?? 3;
  const smoothing = options.smoothing ?? 'modified-kneser-ney';
  if (!Number.isInteger(order) || order < 1 || order > 10)
    throw new WordLmError(`${fn}: options.order must be an integer in [1, 10], got ${order}`);
  if (smoothing !== 'modified-kneser-ney' && smoothing !== 'kneser-ney') {
    throw new WordLmError(
      `${fn}: options.smoothing must be 'modified-kneser-ney' or 'kneser-ney', got ${JSON.stringify(smoothing)}`,
    );
  }
  if (!Array.isArray(sentences) || sentences.length === 0)
    throw new WordLmError(`${fn}: ${src} must be a non-empty array of word arrays`);

  // Raw counts of every n-gram in the padded sentences, per order; keys are words joined by ' '.
  // Each sentence is checked as it is counted.
  function* checked() {
    for (let u = 0; u < sentences.length; u++) {
      const s = sentences[u];
      if (!Array.isArray(s)) throw new WordLmError(`${fn}: ${src}[${u}] must be an array of words`);
      for (const w of s) {
        if (typeof w !== 'string' || w === '' || /\s/.test(w) || w === BOS || w === EOS) {
          throw new WordLmError(
            `${fn}: ${src}[${u}] holds ${JSON.stringify(w)}; words must be non-empty, without spaces, and not <s> or </s>`,
          );
        }
      }
      yield s as readonly string[];
    }
  }
  const raw = countNgrams(checked(), order);

  // Adjusted counts: the highest order keeps raw counts; a lower-order n-gram counts the distinct
  // words seen before it, unless it starts with <s> (nothing precedes <s>).
  const adjusted: Map<string, number>[] = raw.map(() => new Map());
  for (const [key, c] of raw[order - 1]!) adjusted[order - 1]!.set(key, c);
  for (let n = order - 1; n >= 1; n--) {
    const a = adjusted[n - 1]!;
    for (const [key, c] of raw[n - 1]!) if (key === BOS || key.startsWith(`${BOS} `)) a.set(key, c);
    for (const key of raw[n]!.keys()) {
      // <s> only starts a sentence, so no suffix starts with it.
      const suffix = key.slice(key.indexOf(' ') + 1);
      a.set(suffix, (a.get(suffix) ?? 0) + 1);
    }
  }

  // Discounts per order from the count-of-counts of the adjusted counts (the unigram <s> left out).
  const d = adjusted.map((a) => {
    const t = [0, 0, 0, 0, 0];
    for (const [key, c] of a) if (key !== BOS && c <= 4) t[c]!++;
    return discounts(t, smoothing);
  });
  const discount = (n: number, c: number) => d[n - 1]![Math.min(c, 3) - 1]!;

  // Per history: the sum of its extensions' adjusted counts and its interpolation weight gamma.
  const denom: Map<string, number>[] = raw.map(() => new Map());
  const gammaNum: Map<string, number>[] = raw.map(() => new Map());
  for (let n = 1; n <= order; n++) {
    for (const [key, c] of adjusted[n - 1]!) {
      if (n === 1 && key === BOS) continue;
      const h = n === 1 ? '' : key.slice(0, key.lastIndexOf(' '));
      denom[n - 1]!.set(h, (denom[n - 1]!.get(h) ?? 0) + c);
      gammaNum[n - 1]!.set(h, (gammaNum[n - 1]!.get(h) ?? 0) + discount(n, c));
    }
  }
  const gamma = (n: number, h: string) => gammaNum[n - 1]!.get(h)! / denom[n - 1]!.get(h)!;

  // Interpolated probabilities, lowest order first; the unigrams interpolate with the uniform
  // distribution over the vocabulary (every unigram but <s>, plus <unk>).
  const prob: Map<string, number>[] = raw.map(() => new Map());
  const vocab = [...adjusted[0]!.keys()].filter((w) => w !== BOS);
  if (!vocab.includes(UNK)) vocab.push(UNK);
  const uniform = gamma(1, '') / vocab.length;
  for (const w of vocab) {
    const c = adjusted[0]!.get(w) ?? 0;
    prob[0]!.set(w, (c > 0 ? (c - discount(1, c)) / denom[0]!.get('')! : 0) + uniform);
  }
  for (let n = 2; n <= order; n++) {
    for (const [key, c] of adjusted[n - 1]!) {
      const h = key.slice(0, key.lastIndexOf(' '));
      const lower = prob[n - 2]!.get(key.slice(key.indexOf(' ') + 1))!;
      prob[n - 1]!.set(key, (c - discount(n, c)) / denom[n - 1]!.get(h)! + gamma(n, h) * lower);
    }
  }

  // The back-off form: P(w | h) for listed h w, and log10 gamma(h) as h's back-off weight.
  const tables: NgramTable[] = prob.map(() => new Map());
  for (let n = 1; n <= order; n++) {
    const table = tables[n - 1]!;
    const keys = n === 1 ? [BOS, ...vocab] : [...prob[n - 1]!.keys()];
    for (const key of keys) {
      const p = n === 1 && key === BOS ? 0 : prob[n - 1]!.get(key)!;
      const isHistory = n < order && denom[n]!.has(key);
      table.set(key, {
        logProb10: Math.log10(p),
        backoff10: isHistory ? Math.log10(gamma(n + 1, key)) : 0,
      });
    }
  }
  return new ArpaModel(tables);
}
