// Perplexity of a word LM on text, as SRILM's `ngram -ppl` reports it: sentence ends count as
// words, and words the model cannot score (outside its vocabulary, no <unk>) are left out.
import type { ArpaModel } from './arpa-model';

/** What {@link perplexity} measures. */
export interface PerplexityResult {
  /** 10^(-logProb10 / (words - oov + sentences)). */
  readonly perplexity: number;
  /** Total log10 probability of the scored words and sentence ends. */
  readonly logProb10: number;
  readonly sentences: number;
  readonly words: number;
  /** Words the model gives probability 0 (outside its vocabulary, without `<unk>`), not scored. */
  readonly oov: number;
}

/** Perplexity of `lm` on tokenised sentences (without `<s>` / `</s>`), counting `</s>`. */
export function perplexity(lm: ArpaModel, sentences: ReadonlyArray<ReadonlyArray<string>>): PerplexityResult {
  let logProb10 = 0;
  let words = 0;
  let oov = 0;
  for (const s of sentences) {
    const h = ['<s>'];
    for (const w of [...s, '</s>']) {
      const lp = lm.logProb10(h, w);
      if (w !== '</s>') words++;
      if (lp === Number.NEGATIVE_INFINITY) oov++;
      else logProb10 += lp;
      h.push(w);
    }
  }
  const n = words - oov + sentences.length;
  return {
    perplexity: 10 ** (-logProb10 / Math.max(1, n)),
    logProb10,
    sentences: sentences.length,
    words,
    oov,
  };
}
