// Phone n-gram LM for the CTC-CRF denominator, estimated the way Kaldi's chain-est-phone-lm
// (kaldi/src/chain/language-model.{h,cc}) intends it: maximum-likelihood counts with no smoothing
// of unseen words, histories pruned by count and replaced by their longest kept suffix ("hard"
// back-off), so the composed denominator graph only has arcs for n-grams seen in training. An
// optional absolute discount turns it into an ordinary back-off model with real back-off weights.
import { ArpaModel, type NgramTable } from './arpa-model';
import { BOS, countNgrams } from './ngram-counts';

/** Options of {@link estimatePhoneLm}. */
export interface PhoneLmOptions {
  /** Highest n-gram order (default 4, as the ST-NAS / CAT WSJ recipes). */
  readonly order?: number;
  /**
   * N-grams of this order or lower are never pruned, i.e. histories shorter than this are always
   * kept (default 3, Kaldi's `--no-prune-ngram-order`).
   */
  readonly noPruneOrder?: number;
  /** A longer history is kept only if it was seen at least this often (default 2). */
  readonly minHistoryCount?: number;
  /**
   * At most this many histories of length `noPruneOrder` or more are kept, those whose own
   * distribution gains the training data most log-likelihood over their back-off's (Kaldi's
   * `chain-est-phone-lm --num-extra-lm-states`, default 1000, as CAT's prep_den_lm.sh runs it).
   * `Infinity` keeps every history seen `minHistoryCount` times.
   */
  readonly extraStates?: number;
  /**
   * Absolute discount in [0, 1) taken from every seen n-gram of a kept history and given to its
   * back-off distribution (default 0: no smoothing, unseen words after a kept history are
   * impossible and the history's back-off weight is log10(0), written -99).
   */
  readonly discount?: number;
  /** Where the sequences come from, for error messages (default 'labelSequences'). */
  readonly source?: string;
}

/** Thrown for bad arguments of {@link estimatePhoneLm}; the message names the argument. */
export class PhoneLmError extends Error {
  override name = 'PhoneLmError';
}

/**
 * Estimates a phone n-gram LM from label sequences (one per utterance, class ids without blanks);
 * words of the returned {@link ArpaModel} are the ids written in decimal, plus `<s>` and `</s>`.
 *
 * ```ts
 * const lm = estimatePhoneLm([[1, 2, 3], [1, 2]], { order: 2 });
 * lm.logProb10(['1'], '2'); // 0 (2 always follows 1)
 * ```
 */
export function estimatePhoneLm(
  labelSequences: ReadonlyArray<ArrayLike<number>>,
  options: PhoneLmOptions = {},
): ArpaModel {
  const fn = 'estimatePhoneLm';
  const src = options.source ?? 'labelSequences';
  const order = options.order ?? 4;
  const noPruneOrder = options.noPruneOrder ?? 3;
  const minCount = options.minHistoryCount ?? 2;
  const discount = options.discount ?? 0;
  const extraStates = options.extraStates ?? 1000;
  if (!Number.isInteger(order) || order < 1 || order > 10) {
    throw new PhoneLmError(`${fn}: options.order must be an integer in [1, 10], got ${order}`);
  }
  if (!Number.isInteger(noPruneOrder) || noPruneOrder < 1) {
    throw new PhoneLmError(`${fn}: options.noPruneOrder must be a positive integer, got ${noPruneOrder}`);
  }
  if (!(minCount >= 1))
    throw new PhoneLmError(`${fn}: options.minHistoryCount must be >= 1, got ${minCount}`);
  if (!(extraStates >= 0) || (Number.isFinite(extraStates) && !Number.isInteger(extraStates))) {
    throw new PhoneLmError(
      `${fn}: options.extraStates must be an integer >= 0 or Infinity, got ${extraStates}`,
    );
  }
  if (!(discount >= 0 && discount < 1)) {
    throw new PhoneLmError(`${fn}: options.discount must be in [0, 1), got ${discount}`);
  }
  if (!Array.isArray(labelSequences) || labelSequences.length === 0) {
    throw new PhoneLmError(`${fn}: ${src} must be a non-empty array of label sequences`);
  }
  // Each sequence is checked and written as words (ids in decimal) as it is counted.
  function* words() {
    for (let u = 0; u < labelSequences.length; u++) {
      const seq = labelSequences[u];
      if (seq == null || typeof seq.length !== 'number') {
        throw new PhoneLmError(`${fn}: ${src}[${u}] must be an array of class ids, got ${typeof seq}`);
      }
      const ws: string[] = [];
      for (let i = 0; i < seq.length; i++) {
        const id = seq[i]!;
        if (!Number.isInteger(id) || id < 0) {
          throw new PhoneLmError(
            `${fn}: ${src}[${u}][${i}] must be a non-negative integer class id, got ${id}`,
          );
        }
        ws.push(String(id));
      }
      yield ws;
    }
  }
  // counts.get(history).get(word) from the n-gram counts (<s> is never a word); histories are words
  // joined by spaces ('' for the empty one). Each history and each of its words in the order of
  // first occurrence, as the sums below and the ARPA file follow.
  const counts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  for (const ngrams of countNgrams(words(), order)) {
    for (const [key, c] of ngrams) {
      if (key === BOS) continue;
      const sp = key.lastIndexOf(' ');
      const h = sp < 0 ? '' : key.slice(0, sp);
      let m = counts.get(h);
      if (!m) counts.set(h, (m = new Map()));
      m.set(key.slice(sp + 1), c);
      totals.set(h, (totals.get(h) ?? 0) + c);
    }
  }
  // Kept histories: all shorter than noPruneOrder, and the best `extraStates` of the longer ones
  // seen minCount times whose prefix and suffix are kept too, so the kept set is closed under
  // prefixes and suffixes, as the ARPA format and the hard back-off need.
  const frequent = (h: string, len: number) => len < noPruneOrder || (totals.get(h) ?? 0) >= minCount;
  const extra = selectExtraHistories(counts, totals, frequent, noPruneOrder, extraStates);
  const kept = (h: string, len: number) => len < noPruneOrder || extra.has(h);
  const tables: Map<string, { logProb10: number; backoff10: number }>[] = [];
  for (let n = 0; n < order; n++) tables.push(new Map());
  // prob[h] = natural-scale P(w | h) of the listed words; bows filled after, shortest first.
  const probs = new Map<string, Map<string, number>>();
  const histories = [...counts.keys()]
    .map((h) => ({ h, len: h === '' ? 0 : h.split(' ').length }))
    .filter(({ h, len }) => kept(h, len))
    .sort((a, b) => a.len - b.len);
  const bows = new Map<string, number>(); // natural-scale back-off weight of each kept history
  /** P(w | h) by back-off over the kept histories (natural scale). */
  const lookup = (h: string, w: string): number => {
    let scale = 1;
    let hist = h;
    for (;;) {
      const p = probs.get(hist)?.get(w);
      if (p !== undefined) return scale * p;
      if (hist === '') return 0;
      scale *= bows.get(hist) ?? 1;
      if (scale === 0) return 0;
      const sp = hist.indexOf(' ');
      hist = sp < 0 ? '' : hist.slice(sp + 1);
    }
  };
  for (const { h, len } of histories) {
    const m = counts.get(h)!;
    const total = totals.get(h)!;
    const p = new Map<string, number>();
    if (len === 0) {
      for (const [w, c] of m) p.set(w, c / total);
      probs.set(h, p);
      continue;
    }
    const lower = h.indexOf(' ') < 0 ? '' : h.slice(h.indexOf(' ') + 1);
    let lowerMass = 0;
    for (const w of m.keys()) lowerMass += lookup(lower, w);
    const room = 1 - lowerMass;
    // With nothing left to back off to, the history keeps its maximum-likelihood estimate.
    const d = room > 1e-9 ? discount : 0;
    for (const [w, c] of m) p.set(w, (c - d) / total);
    probs.set(h, p);
    bows.set(h, room > 1e-9 ? (d * m.size) / total / room : 1);
  }
  const table = (n: number) => tables[n]!;
  for (const { h, len } of histories) {
    for (const [w, p] of probs.get(h)!) {
      const key = len === 0 ? w : `${h} ${w}`;
      const bow = bows.get(key);
      table(len).set(key, { logProb10: Math.log10(p), backoff10: bow === undefined ? 0 : Math.log10(bow) });
    }
  }
  // <s> is a history but never predicted: log10(0), with the back-off weight of its history.
  const bosBow = bows.get(BOS);
  table(0).set(BOS, {
    logProb10: Number.NEGATIVE_INFINITY,
    backoff10: bosBow === undefined ? 0 : Math.log10(bosBow),
  });
  return new ArpaModel(tables as NgramTable[]);
}

/**
 * The longer histories to keep: among those `frequent` enough, by decreasing log-likelihood gain of
 * their maximum-likelihood distribution over their suffix's, `sum_w c(h, w) log(P(w | h) /
 * P(w | suffix))` (the criterion of Kaldi's chain/language-model.cc, computed once rather than
 * re-evaluated after each removal), shorter ones first whenever a longer one needs them.
 */
function selectExtraHistories(
  counts: Map<string, Map<string, number>>,
  totals: Map<string, number>,
  frequent: (h: string, len: number) => boolean,
  noPruneOrder: number,
  limit: number,
): Set<string> {
  const candidates: { h: string; len: number; gain: number }[] = [];
  for (const [h, m] of counts) {
    const len = h === '' ? 0 : h.split(' ').length;
    if (len < noPruneOrder || !frequent(h, len)) continue;
    const suffix = h.slice(h.indexOf(' ') + 1);
    const lower = counts.get(suffix)!;
    const total = totals.get(h)!;
    const lowerTotal = totals.get(suffix)!;
    let gain = 0;
    for (const [w, c] of m) gain += c * Math.log(c / total / (lower.get(w)! / lowerTotal));
    candidates.push({ h, len, gain });
  }
  candidates.sort((a, b) => b.gain - a.gain || a.len - b.len || (a.h < b.h ? -1 : 1));
  const kept = new Set<string>();
  const parentsKept = (h: string, len: number) =>
    len <= noPruneOrder ||
    (kept.has(h.slice(0, h.lastIndexOf(' '))) && kept.has(h.slice(h.indexOf(' ') + 1)));
  // Passes until nothing changes: a long history waits for its prefix and suffix.
  for (let changed = true; changed && kept.size < limit; ) {
    changed = false;
    for (const { h, len } of candidates) {
      if (kept.size >= limit) break;
      if (kept.has(h) || !parentsKept(h, len)) continue;
      kept.add(h);
      changed = true;
    }
  }
  return kept;
}
