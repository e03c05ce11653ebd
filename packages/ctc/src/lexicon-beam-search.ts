// Lexicon-constrained CTC beam search with a word n-gram LM: the prefix beam search of Hannun et
// al. (2014) run over a prefix tree of pronunciations, in the style of flashlight's
// LexiconDecoder (torchaudio's ctc_decoder: lm_weight, word_score, beam_threshold, max smearing).
//
// A hypothesis is (word sequence, position in the tree). Its unit sequence is the words'
// pronunciations followed by the units of the tree path, and it carries that sequence's CTC
// prefix probability split into "last frame blank" and "last frame non-blank", so the sum over
// all alignments is exact as in prefix beam search. Entering a node where a word ends also puts
// the same mass on the hypothesis "word sequence + that word, back at the root", keyed by the
// word's last unit (the next word may repeat it only after a blank). Two pronunciations of a word
// that end in the same unit merge there exactly (the recursion is linear in the two masses); the
// final score of a word sequence sums its root hypotheses, so pronunciation variants are SUMMED:
// p_ctc(W) = sum over the pronunciation choices of p_ctc(U | x). Hypotheses that end inside a
// word are dropped at the end; different word sequences with the same units stay apart.
import type { ArpaModel } from './arpa-model';
import { logAdd } from './log-add';
import { checkBlank, type LogProbsInput, readLogProbs } from './log-probs-input';
import { topK } from './top-k';

/** Options of {@link lexiconBeamSearch}. */
export interface LexiconBeamSearchOptions {
  /** Word to pronunciations, each a non-empty list of unit ids (classes other than the blank). */
  readonly lexicon: ReadonlyMap<string, readonly (readonly number[])[]>;
  /** Word n-gram LM (e.g. from `loadArpa`); without it every word sequence has LM score 0. */
  readonly lm?: ArpaModel;
  /** Weight of the LM's natural-log probability (default 1 with an LM, else 0). */
  readonly lmWeight?: number;
  /** Added to the score per word (flashlight's `word_score`; default 0). */
  readonly wordBonus?: number;
  /** Hypotheses kept after each frame (default 16). */
  readonly beamWidth?: number;
  /** Hypotheses scoring this far below the frame's best are dropped (default 25, flashlight's). */
  readonly beamThreshold?: number;
  /** Index of the blank class (default 0). */
  readonly blank?: number;
  /** Word sequences returned per utterance (default 1). */
  readonly nBest?: number;
  /**
   * Natural-log LM score of a lexicon word the LM does not list. Without it, such a word gets the
   * LM's own answer: P(`<unk>` | history) when the LM has `<unk>`, otherwise it is never emitted.
   */
  readonly unkScore?: number;
  /** Units whose log-probability at a frame is this far below the frame's best are not entered (default 20). */
  readonly pruneLogProb?: number;
  /**
   * Viterbi recombination (default true): after each frame, of the hypotheses in the same LM state
   * and tree position (which have the same future), only the best-scoring word history is kept, as
   * WFST decoders and flashlight's do. It frees the beam for distinct futures; the cost is that a
   * word sequence's score may miss the alignments of a merged-away history ending in the same LM
   * state, and n-best lists hold fewer variants. `false` keeps every word history (exact sums).
   */
  readonly recombine?: boolean;
  /**
   * The LM score an in-word hypothesis is ranked with: the best over the words below its tree node
   * of P(word | its LM state) (`'history'`, default, computed once per LM state met) or of P(word)
   * (`'unigram'`, flashlight's max smearing: cheaper, more search errors at small beams).
   */
  readonly lookahead?: 'history' | 'unigram';
}

/** One word sequence found by {@link lexiconBeamSearch}. */
export interface WordHypothesis {
  readonly words: string[];
  /** `acousticLogProb + lmWeight * lmLogProb + wordBonus * words.length`. */
  readonly score: number;
  /** ln p_ctc(U(W) | x), summed over alignments and pronunciation variants kept in the beam. */
  readonly acousticLogProb: number;
  /** ln P_LM(W, `</s>`) from `<s>` (0 without an LM). */
  readonly lmLogProb: number;
}

const NEG = Number.NEGATIVE_INFINITY;

/** The pronunciation prefix tree: node 0 is the root; children in CSR form. */
interface Trie {
  readonly size: number;
  readonly unit: Int32Array;
  readonly childStart: Int32Array;
  readonly childUnit: Int32Array;
  readonly childNode: Int32Array;
  /** Words ending at a node, CSR over word ids. */
  readonly wordStart: Int32Array;
  readonly wordIds: Int32Array;
}

function buildTrie(
  fn: string,
  lexicon: LexiconBeamSearchOptions['lexicon'],
  words: string[],
  classes: number,
  blank: number,
): Trie {
  const unit = [-1];
  const kids: Map<number, number>[] = [new Map()];
  const ends: Set<number>[] = [new Set()];
  for (const [word, prons] of lexicon) {
    const id = words.length;
    words.push(word);
    if (!Array.isArray(prons) || prons.length === 0)
      throw new Error(`${fn}: the lexicon gives "${word}" no pronunciation`);
    for (const pron of prons) {
      if (pron.length === 0) throw new Error(`${fn}: the lexicon gives "${word}" an empty pronunciation`);
      let node = 0;
      for (const u of pron) {
        if (!Number.isInteger(u) || u < 0 || u >= classes || u === blank) {
          throw new Error(
            `${fn}: the lexicon spells "${word}" with unit ${u}, not a class in [0, ${classes}) other than the blank ${blank}`,
          );
        }
        let next = kids[node]!.get(u);
        if (next === undefined) {
          next = unit.length;
          unit.push(u);
          kids.push(new Map());
          ends.push(new Set());
          kids[node]!.set(u, next);
        }
        node = next;
      }
      ends[node]!.add(id); // a repeated pronunciation is one path, not two
    }
  }
  const size = unit.length;
  const childStart = new Int32Array(size + 1);
  const wordStart = new Int32Array(size + 1);
  for (let n = 0; n < size; n++) {
    childStart[n + 1] = childStart[n]! + kids[n]!.size;
    wordStart[n + 1] = wordStart[n]! + ends[n]!.size;
  }
  const childUnit = new Int32Array(childStart[size]!);
  const childNode = new Int32Array(childStart[size]!);
  const wordIds = new Int32Array(wordStart[size]!);
  for (let n = 0; n < size; n++) {
    let k = childStart[n]!;
    for (const [u, m] of kids[n]!) {
      childUnit[k] = u;
      childNode[k++] = m;
    }
    wordIds.set([...ends[n]!], wordStart[n]!);
  }
  return { size, unit: Int32Array.from(unit), childStart, childUnit, childNode, wordStart, wordIds };
}

/**
 * CTC beam search constrained to the words of a lexicon, scored with a word n-gram LM; returns
 * the n-best word sequences of each utterance, best first. The score of a word sequence W is
 * `ln p_ctc(U(W) | x) + lmWeight * ln P_LM(W, </s>) + wordBonus * |W|`, where p_ctc sums over all
 * alignments and over the pronunciation variants of each word.
 *
 * ```ts
 * const lm = await loadArpa('words.3g.arpa');
 * const lexicon = new Map([['HELLO', [[12, 4, 20, 30]]], ['WORLD', [[40, 30, 20, 9]]]]);
 * const nbest = lexiconBeamSearch(logProbs, lengths, { lexicon, lm, lmWeight: 0.8, wordBonus: 1 });
 * nbest[0][0].words; // ['HELLO', 'WORLD']
 * ```
 */
export function lexiconBeamSearch(
  logProbs: LogProbsInput,
  inputLengths: ArrayLike<number>,
  options: LexiconBeamSearchOptions,
): WordHypothesis[][] {
  const fn = 'lexiconBeamSearch';
  const { data, batch, time, classes } = readLogProbs(fn, logProbs, inputLengths);
  const blank = options.blank ?? 0;
  checkBlank(fn, blank, classes);
  if (!(options.lexicon instanceof Map)) throw new Error(`${fn}: options.lexicon must be a Map`);
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`${fn}: options.${name} must be a positive integer, got ${v}`);
    return v;
  };
  const beamWidth = positiveInt('beamWidth', options.beamWidth ?? 16);
  const nBest = positiveInt('nBest', options.nBest ?? 1);
  const lm = options.lm;
  const lmWeight = options.lmWeight ?? (lm ? 1 : 0);
  const bonus = options.wordBonus ?? 0;
  const threshold = options.beamThreshold ?? 25;
  const prune = options.pruneLogProb ?? 20;
  const recombine = options.recombine ?? true;
  const lookahead = options.lookahead ?? 'history';
  for (const [name, v] of [
    ['lmWeight', lmWeight],
    ['wordBonus', bonus],
  ] as const) {
    if (!Number.isFinite(v)) throw new Error(`${fn}: options.${name} must be a finite number, got ${v}`);
  }
  for (const [name, v] of [
    ['beamThreshold', threshold],
    ['pruneLogProb', prune],
  ] as const) {
    if (Number.isNaN(v) || v < 0) throw new Error(`${fn}: options.${name} must be >= 0, got ${v}`);
  }
  const unkScore = options.unkScore;
  if (unkScore !== undefined && (Number.isNaN(unkScore) || unkScore > 0))
    throw new Error(`${fn}: options.unkScore must be a log-probability <= 0, got ${unkScore}`);
  // A zero weight ignores the LM's scores (0 * -Infinity would be NaN) but not its prohibitions.
  const weighted = (lmLogProb: number) => (lmLogProb === NEG ? NEG : lmWeight * lmLogProb);

  const words: string[] = [];
  const trie = buildTrie(fn, options.lexicon, words, classes, blank);
  const V = words.length;
  const N = trie.size;
  const { unit, childStart, childUnit, childNode, wordStart, wordIds } = trie;
  const known = lm ? new Set(lm.ngrams[0]!.keys()) : undefined;
  const unknown = (w: string) => known !== undefined && unkScore !== undefined && !known.has(w);
  // Max smearing: an in-word hypothesis is ranked with the best LM score of the words below its
  // node, so it competes fairly with hypotheses that have paid for a finished word. 'history'
  // takes P(word | the hypothesis's LM state), computed once per LM state; 'unigram' P(word).
  const sweep = (score: (w: number) => number): Float64Array => {
    const out = new Float64Array(N).fill(NEG);
    // Children have larger ids than their parents, so one backward sweep propagates the maxima.
    for (let n = N - 1; n >= 0; n--) {
      for (let k = wordStart[n]!; k < wordStart[n + 1]!; k++) out[n] = Math.max(out[n]!, score(wordIds[k]!));
      for (let k = childStart[n]!; k < childStart[n + 1]!; k++)
        out[n] = Math.max(out[n]!, out[childNode[k]!]!);
    }
    return out;
  };
  const zero = new Float64Array(N);
  const unigram = lm
    ? sweep((w) => (unknown(words[w]!) ? unkScore! : lm.logProb10([], words[w]!) * Math.LN10))
    : zero;
  const byState = new Map<number, Float64Array>();
  const smearOf = (state: number): Float64Array => {
    if (!lm || lookahead === 'unigram') return unigram;
    let out = byState.get(state);
    if (!out) {
      out = sweep((w) => (unknown(words[w]!) ? unkScore! : lm.next(state, words[w]!).logProb));
      byState.set(state, out);
    }
    return out;
  };
  const hasKids = (n: number) => childStart[n + 1]! > childStart[n]!;

  // Slots: trie nodes 1..N-1 inside a word; N + 1 + u for "at the root, last unit u" (u = -1 at
  // the start of the utterance).
  const K = N + classes + 1;
  const lastOf = (slot: number) => (slot < N ? unit[slot]! : slot - N - 1);

  const results: WordHypothesis[][] = [];
  for (let b = 0; b < batch; b++) {
    // The word sequences met in this utterance, as a tree (sequence 0 is the empty one).
    const wsParent = [-1];
    const wsWord = [-1];
    const wsLen = [0];
    const wsLmState = [lm ? lm.startState : 0];
    const wsLm = [0];
    const wsChild = new Map<number, number>();
    const extend = (ws: number, w: number): number => {
      const key = ws * V + w;
      const hit = wsChild.get(key);
      if (hit !== undefined) return hit;
      let state = 0;
      let lp = 0;
      if (lm) {
        const r = lm.next(wsLmState[ws]!, words[w]!);
        state = r.state;
        lp = unknown(words[w]!) ? unkScore! : r.logProb;
      }
      let id = -1;
      if (lp > NEG) {
        id = wsParent.length;
        wsParent.push(ws);
        wsWord.push(w);
        wsLen.push(wsLen[ws]! + 1);
        wsLmState.push(state);
        wsLm.push(wsLm[ws]! + lp);
      }
      wsChild.set(key, id);
      return id;
    };

    let cWs = [0];
    let cSlot = [N]; // the root, no unit emitted yet
    let cPb = [0];
    let cPnb = [NEG];
    for (let t = 0; t < inputLengths[b]!; t++) {
      const o = (b * time + t) * classes;
      let best = NEG;
      for (let c = 0; c < classes; c++) if (data[o + c]! > best) best = data[o + c]!;
      const floor = best - prune;
      const lpBlank = data[o + blank]!;
      const index = new Map<number, number>();
      const nWs: number[] = [];
      const nSlot: number[] = [];
      const nPb: number[] = [];
      const nPnb: number[] = [];
      const entry = (ws: number, slot: number): number => {
        const key = ws * K + slot;
        let j = index.get(key);
        if (j === undefined) {
          j = nWs.length;
          index.set(key, j);
          nWs.push(ws);
          nSlot.push(slot);
          nPb.push(NEG);
          nPnb.push(NEG);
        }
        return j;
      };
      for (let i = 0; i < cWs.length; i++) {
        const ws = cWs[i]!;
        const slot = cSlot[i]!;
        const pb = cPb[i]!;
        const pnb = cPnb[i]!;
        const total = logAdd(pb, pnb);
        const last = lastOf(slot);
        // Stay: a blank, or the last unit again without a blank between.
        const j = entry(ws, slot);
        nPb[j] = logAdd(nPb[j]!, total + lpBlank);
        if (last >= 0) nPnb[j] = logAdd(nPnb[j]!, pnb + data[o + last]!);
        // Grow by one unit along the tree.
        const node = slot < N ? slot : 0;
        for (let k = childStart[node]!; k < childStart[node + 1]!; k++) {
          const c = childUnit[k]!;
          const lp = data[o + c]!;
          if (lp < floor) continue;
          const mass = (c === last ? pb : total) + lp;
          if (mass === NEG) continue;
          const m = childNode[k]!;
          if (hasKids(m) && smearOf(wsLmState[ws]!)[m]! > NEG) {
            const jj = entry(ws, m);
            nPnb[jj] = logAdd(nPnb[jj]!, mass);
          }
          for (let q = wordStart[m]!; q < wordStart[m + 1]!; q++) {
            const ws2 = extend(ws, wordIds[q]!);
            if (ws2 < 0) continue;
            const jj = entry(ws2, N + 1 + c);
            nPnb[jj] = logAdd(nPnb[jj]!, mass);
          }
        }
      }
      const n = nWs.length;
      const scores = new Float64Array(n);
      let top = NEG;
      for (let j = 0; j < n; j++) {
        const slot = nSlot[j]!;
        const ws = nWs[j]!;
        const inWord = slot < N;
        const s =
          logAdd(nPb[j]!, nPnb[j]!) +
          weighted(wsLm[ws]! + (inWord ? smearOf(wsLmState[ws]!)[slot]! : 0)) +
          bonus * (wsLen[ws]! + (inWord ? 1 : 0));
        scores[j] = s;
        if (s > top) top = s;
      }
      for (let j = 0; j < n; j++) if (scores[j]! < top - threshold) scores[j] = NEG;
      if (recombine) {
        // Same LM state and slot: the same future. Keep the best history of each.
        const bestOf = new Map<number, number>();
        for (let j = 0; j < n; j++) {
          if (scores[j] === NEG) continue;
          const key = wsLmState[nWs[j]!]! * K + nSlot[j]!;
          const k = bestOf.get(key);
          if (k === undefined) bestOf.set(key, j);
          else if (scores[j]! > scores[k]!) {
            scores[k] = NEG;
            bestOf.set(key, j);
          } else scores[j] = NEG;
        }
      }
      const keep = topK(scores, n, beamWidth, new Int32Array(n));
      cWs = keep.map((j) => nWs[j]!);
      cSlot = keep.map((j) => nSlot[j]!);
      cPb = keep.map((j) => nPb[j]!);
      cPnb = keep.map((j) => nPnb[j]!);
    }
    // Only hypotheses at a word end count; a word sequence sums its pronunciation variants.
    const acoustic = new Map<number, number>();
    for (let i = 0; i < cWs.length; i++) {
      if (cSlot[i]! < N) continue;
      const ws = cWs[i]!;
      acoustic.set(ws, logAdd(acoustic.get(ws) ?? NEG, logAdd(cPb[i]!, cPnb[i]!)));
    }
    const hyps: WordHypothesis[] = [];
    for (const [ws, ac] of acoustic) {
      const lmLogProb = lm ? wsLm[ws]! + lm.end(wsLmState[ws]!) : 0;
      const score = ac + weighted(lmLogProb) + bonus * wsLen[ws]!;
      if (!(score > NEG)) continue;
      const seq: string[] = [];
      for (let s = ws; s > 0; s = wsParent[s]!) seq.push(words[wsWord[s]!]!);
      hyps.push({ words: seq.reverse(), score, acousticLogProb: ac, lmLogProb });
    }
    hyps.sort((x, y) => y.score - x.score);
    results.push(hyps.slice(0, nBest));
  }
  return results;
}
