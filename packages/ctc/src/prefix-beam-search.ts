// CTC prefix beam search (Hannun et al., "First-pass large vocabulary continuous speech recognition
// using bi-directional recurrent DNNs", 2014, algorithm 1) with a token-level n-gram LM applied
// when a prefix grows, in the style of parlance/ctcdecode (alpha = lmWeight, beta = insertionBonus).
import type { TokenLanguageModel } from './language-model';
import { logAdd } from './log-add';
import { checkBlank, type LogProbsInput, readLogProbs } from './log-probs-input';
import { topK } from './top-k';

/** Options of {@link prefixBeamSearch}. */
export interface PrefixBeamSearchOptions {
  /** Prefixes kept after each frame (default 8). */
  readonly beamWidth?: number;
  /** Index of the blank class (default 0). */
  readonly blank?: number;
  /** Token-level LM scoring each new token and the sentence end (e.g. from `loadArpa`). */
  readonly lm?: TokenLanguageModel;
  /** Weight of the LM log-probability (default 1 when `lm` is given). */
  readonly lmWeight?: number;
  /** Added to the score per emitted token, against the LM's bias to short outputs (default 0). */
  readonly insertionBonus?: number;
  /** LM word of each class (default: the class index as a string, as phone LMs over label ids use). */
  readonly vocabulary?: readonly string[];
  /** Hypotheses returned per utterance (default `beamWidth`). */
  readonly nBest?: number;
  /** Skip classes whose log-probability at a frame is this far below the frame's best (default 20). */
  readonly pruneLogProb?: number;
  /**
   * Classes tried as extensions per frame, the most probable first. The default, `beamWidth + 1`
   * without an LM, loses nothing: an extension outside the top `beamWidth + 1` classes is beaten by
   * `beamWidth` extensions of the same prefix. With an LM the default is 40 (ctcdecode's
   * `cutoff_top_n`).
   */
  readonly maxCandidates?: number;
}

/** One hypothesis of {@link prefixBeamSearch}. */
export interface BeamHypothesis {
  /** Labels, blanks removed and repeats collapsed. */
  readonly tokens: number[];
  /** `acousticLogProb + lmWeight * lmLogProb + insertionBonus * tokens.length`. */
  readonly score: number;
  /** Log-probability of the prefix under the CTC model, summed over its alignments in the beam. */
  readonly acousticLogProb: number;
  /** LM log-probability of the tokens and the sentence end (0 without an LM). */
  readonly lmLogProb: number;
}

const NEG = Number.NEGATIVE_INFINITY;

/** The prefixes that survived a frame, as a tree of parent links; a prefix is a node id, root 0. */
class PrefixTree {
  readonly parent: number[] = [-1];
  readonly token: number[] = [-1];
  readonly length: number[] = [0];
  readonly lmState: number[];
  readonly lmLogProb: number[] = [0];

  // One node per prefix, so a pruned prefix that comes back is recognised as the parent of its
  // surviving extensions (their probability mass must merge, not split).
  private readonly children = new Map<number, number>();

  constructor(
    startState: number,
    private readonly classes: number,
  ) {
    this.lmState = [startState];
  }

  /** The node of `parent` extended by `token`, created on first use. */
  add(parent: number, token: number, lmState: number, lmLogProb: number): number {
    const key = parent * this.classes + token;
    const known = this.children.get(key);
    if (known !== undefined) return known;
    this.children.set(key, this.parent.length);
    this.parent.push(parent);
    this.token.push(token);
    this.length.push(this.length[parent]! + 1);
    this.lmState.push(lmState);
    this.lmLogProb.push(lmLogProb);
    return this.parent.length - 1;
  }

  tokens(node: number): number[] {
    const out: number[] = [];
    for (let n = node; n > 0; n = this.parent[n]!) out.push(this.token[n]!);
    return out.reverse();
  }
}

/**
 * CTC prefix beam search over log-probabilities `[batch, time, classes]`, optionally with a
 * token-level n-gram LM; returns the n-best hypotheses of each utterance, best first.
 *
 * ```ts
 * const lm = await loadArpa('phone.arpa');
 * const nbest = prefixBeamSearch(logProbs, lengths, { beamWidth: 16, lm, lmWeight: 0.5 });
 * nbest[0][0].tokens; // best label sequence of utterance 0
 * ```
 */
export function prefixBeamSearch(
  logProbs: LogProbsInput,
  inputLengths: ArrayLike<number>,
  options: PrefixBeamSearchOptions = {},
): BeamHypothesis[][] {
  const fn = 'prefixBeamSearch';
  const { data, batch, time, classes } = readLogProbs(fn, logProbs, inputLengths);
  const blank = options.blank ?? 0;
  checkBlank(fn, blank, classes);
  const beamWidth = options.beamWidth ?? 8;
  if (!Number.isInteger(beamWidth) || beamWidth < 1) {
    throw new Error(`${fn}: options.beamWidth must be a positive integer, got ${beamWidth}`);
  }
  const nBest = options.nBest ?? beamWidth;
  if (!Number.isInteger(nBest) || nBest < 1)
    throw new Error(`${fn}: options.nBest must be a positive integer, got ${nBest}`);
  const lm = options.lm;
  const lmWeight = options.lmWeight ?? (lm ? 1 : 0);
  // A zero weight ignores the LM's scores (0 * -Infinity would be NaN) but not its prohibitions.
  const weighted = (lmLogProb: number) => (lmWeight === 0 ? 0 : lmWeight * lmLogProb);
  const bonus = options.insertionBonus ?? 0;
  const prune = options.pruneLogProb ?? 20;
  if (options.vocabulary && options.vocabulary.length < classes) {
    throw new Error(
      `${fn}: options.vocabulary has ${options.vocabulary.length} words for ${classes} classes`,
    );
  }
  const maxCandidates = options.maxCandidates ?? (lm ? 40 : beamWidth + 1);
  if (!Number.isInteger(maxCandidates) || maxCandidates < 1) {
    throw new Error(`${fn}: options.maxCandidates must be a positive integer, got ${maxCandidates}`);
  }
  const words: string[] = [];
  for (let c = 0; c < classes; c++) words.push(options.vocabulary ? options.vocabulary[c]! : String(c));
  const results: BeamHypothesis[][] = [];
  const candidates = new Int32Array(classes);
  const byLogProb = (o: number) => (x: number, y: number) => data[o + y]! - data[o + x]!;
  // Entries are the prefixes alive after a frame: entry j < beams is beam j itself (it emitted a
  // blank or repeated its last label); later entries extend beam eBeam[k] by eToken[k].
  const cap = beamWidth * (Math.min(maxCandidates, classes) + 1);
  const eBeam = new Int32Array(cap);
  const eToken = new Int32Array(cap);
  const ePb = new Float64Array(cap);
  const ePnb = new Float64Array(cap);
  const eLmState = new Int32Array(cap);
  const eLm = new Float64Array(cap);
  const eScore = new Float64Array(cap);
  const work = new Int32Array(cap);
  // mergeInto[i * classes + c] = j when beam j is beam i extended by c (-1 otherwise).
  const mergeInto = new Int32Array(beamWidth * classes).fill(-1);
  const beamOf = new Map<number, number>();
  for (let b = 0; b < batch; b++) {
    const tree = new PrefixTree(lm ? lm.startState : 0, classes);
    let nodes = [0];
    let pbs = [0];
    let pnbs = [NEG];
    for (let t = 0; t < inputLengths[b]!; t++) {
      const o = (b * time + t) * classes;
      let best = NEG;
      for (let c = 0; c < classes; c++) if (data[o + c]! > best) best = data[o + c]!;
      let nc = 0;
      for (let c = 0; c < classes; c++) if (c !== blank && data[o + c]! >= best - prune) candidates[nc++] = c;
      if (nc > maxCandidates) {
        candidates.subarray(0, nc).sort(byLogProb(o));
        nc = maxCandidates;
      }
      const W = nodes.length;
      beamOf.clear();
      for (let j = 0; j < W; j++) beamOf.set(nodes[j]!, j);
      for (let j = 0; j < W; j++) {
        const i = beamOf.get(tree.parent[nodes[j]!]!);
        if (i !== undefined) mergeInto[i * classes + tree.token[nodes[j]!]!] = j;
      }
      const lpBlank = data[o + blank]!;
      for (let j = 0; j < W; j++) {
        const node = nodes[j]!;
        const last = tree.token[node]!;
        eBeam[j] = j;
        eToken[j] = last;
        ePb[j] = logAdd(pbs[j]!, pnbs[j]!) + lpBlank;
        ePnb[j] = last >= 0 ? pnbs[j]! + data[o + last]! : NEG;
        eLmState[j] = tree.lmState[node]!;
        eLm[j] = tree.lmLogProb[node]!;
      }
      let n = W;
      for (let i = 0; i < W; i++) {
        const node = nodes[i]!;
        const pb = pbs[i]!;
        const total = logAdd(pb, pnbs[i]!);
        const last = tree.token[node]!;
        for (let q = 0; q < nc; q++) {
          const c = candidates[q]!;
          // A repeated label starts a new token only after a blank.
          const mass = (c === last ? pb : total) + data[o + c]!;
          if (mass === NEG) continue;
          const j = mergeInto[i * classes + c]!;
          if (j >= 0) {
            ePnb[j] = logAdd(ePnb[j]!, mass);
            continue;
          }
          let lmState = 0;
          let lmLp = 0;
          if (lm) {
            const r = lm.next(tree.lmState[node]!, words[c]!);
            if (r.logProb === NEG) continue; // the LM forbids this prefix
            lmState = r.state;
            lmLp = tree.lmLogProb[node]! + r.logProb;
          }
          eBeam[n] = i;
          eToken[n] = c;
          ePb[n] = NEG;
          ePnb[n] = mass;
          eLmState[n] = lmState;
          eLm[n] = lmLp;
          n++;
        }
      }
      for (let j = 0; j < W; j++) {
        const i = beamOf.get(tree.parent[nodes[j]!]!);
        if (i !== undefined) mergeInto[i * classes + tree.token[nodes[j]!]!] = -1;
      }
      for (let k = 0; k < n; k++) {
        const len = tree.length[nodes[eBeam[k]!]!]! + (k < W ? 0 : 1);
        eScore[k] = logAdd(ePb[k]!, ePnb[k]!) + weighted(eLm[k]!) + bonus * len;
      }
      const keep = topK(eScore, n, beamWidth, work);
      nodes = keep.map((k) =>
        k < W ? nodes[k]! : tree.add(nodes[eBeam[k]!]!, eToken[k]!, eLmState[k]!, eLm[k]!),
      );
      pbs = keep.map((k) => ePb[k]!);
      pnbs = keep.map((k) => ePnb[k]!);
    }
    const hyps: BeamHypothesis[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const acoustic = logAdd(pbs[i]!, pnbs[i]!);
      const lmLogProb = lm ? tree.lmLogProb[node]! + lm.end(tree.lmState[node]!) : 0;
      const s = acoustic + weighted(lmLogProb) + bonus * tree.length[node]!;
      if (s > NEG) hyps.push({ tokens: tree.tokens(node), score: s, acousticLogProb: acoustic, lmLogProb });
    }
    hyps.sort((x, y) => y.score - x.score);
    results.push(hyps.slice(0, nBest));
  }
  return results;
}
