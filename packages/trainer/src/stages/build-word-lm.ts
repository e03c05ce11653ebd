// `stnas lm`: a word n-gram LM (interpolated modified Kneser-Ney, @stnas/ctc's estimateWordLm)
// from the transcripts of a Kaldi text file, written as ARPA, with its perplexity on a dev text.
import { estimateWordLm, perplexity, writeArpa } from '@stnas/ctc';
import { InputError } from '../errors';
import { readTranscripts } from './word-decode';

/** Options of {@link buildWordLm}. */
export interface BuildWordLmInputs {
  /** Kaldi `text` file of the training transcripts. */
  text: string;
  order: number;
  /** The ARPA file to write. */
  out: string;
  /** Kaldi `text` file to report the perplexity on. */
  dev?: string;
}

/** What {@link buildWordLm} wrote. */
export interface BuildWordLmResult {
  out: string;
  order: number;
  /** N-gram counts per order. */
  ngrams: number[];
  sentences: number;
  /** Perplexity on the dev text (sentence ends counted, as SRILM's ngram -ppl). */
  devPerplexity?: number;
}

/** Estimates a word n-gram LM from a Kaldi text file and writes it as ARPA. */
export async function buildWordLm(i: BuildWordLmInputs): Promise<BuildWordLmResult> {
  const sentences = [...readTranscripts(i.text).values()];
  if (sentences.length === 0) throw new InputError(`${i.text}: no transcripts`);
  const lm = estimateWordLm(sentences, { order: i.order, source: i.text });
  await writeArpa(lm, i.out);
  const result: BuildWordLmResult = {
    out: i.out,
    order: i.order,
    ngrams: lm.ngrams.map((t) => t.size),
    sentences: sentences.length,
  };
  if (i.dev) result.devPerplexity = perplexity(lm, [...readTranscripts(i.dev).values()]).perplexity;
  return result;
}
