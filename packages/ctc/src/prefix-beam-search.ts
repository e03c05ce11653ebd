// CTC prefix beam search (Hannun et al., "First-pass large vocabulary continuous speech recognition
// using bi-directional recurrent DNNs", 2014, algorithm 1) with a token-level n-gram LM applied
// when a prefix grows, in the style of parlance/ctcdecode (alpha = lmWeight, beta = insertionBonus).
import type { TokenLanguageModel } from './language-model';
import { checkBlank, type LogProbsInput, readLogProbs } from './log-probs-input';

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

function logAdd(a: number, b: number): number {
  if (a === NEG) return b;
  if (b === NEG) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** The prefixes of one utterance as a trie; a prefix is a node id. */
class PrefixTrie {
  readonly parent: number[] = [-1];
  readonly token: number[] = [-1];
  readonly length: number[] = [0];
  readonly lmState: number[];
  readonly lmLogProb: number[] = [0];
  private readonly children: Map<number, number>[] = [new Map()];

  constructor(
    private readonly lm: TokenLanguageModel | undefined,
    private readonly vocabulary: readonly string[] | undefined,
  ) {
    this.lmState = [lm ? lm.startState : 0];
  }

  child(node: number, token: number): number {
    const kids = this.children[node]!;
    let id = kids.get(token);
    if (id !== undefined) return id;
    id = this.parent.length;
    kids.set(token, id);
    this.children.push(new Map());
    this.parent.push(node);
    this.token.push(token);
    this.length.push(this.length[node]! + 1);
    if (this.lm) {
      const word = this.vocabulary ? this.vocabulary[token] : String(token);
      if (word === undefined)
        throw new Error(`prefixBeamSearch: options.vocabulary has no word for class ${token}`);
      const r = this.lm.next(this.lmState[node]!, word);
      this.lmState.push(r.state);
      this.lmLogProb.push(this.lmLogProb[node]! + r.logProb);
    } else {
      this.lmState.push(0);
      this.lmLogProb.push(0);
    }
    return id;
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
  const results: BeamHypothesis[][] = [];
  const candidates = new Int32Array(classes);
  for (let b = 0; b < batch; b++) {
    const trie = new PrefixTrie(lm, options.vocabulary);
    const score = (node: number, pb: number, pnb: number) =>
      logAdd(pb, pnb) + weighted(trie.lmLogProb[node]!) + bonus * trie.length[node]!;
    let nodes = [0];
    let pbs = [0];
    let pnbs = [NEG];
    for (let t = 0; t < inputLengths[b]!; t++) {
      const o = (b * time + t) * classes;
      let best = NEG;
      for (let c = 0; c < classes; c++) if (data[o + c]! > best) best = data[o + c]!;
      let nc = 0;
      for (let c = 0; c < classes; c++) if (c !== blank && data[o + c]! >= best - prune) candidates[nc++] = c;
      const index = new Map<number, number>();
      const nextNodes: number[] = [];
      const nextPb: number[] = [];
      const nextPnb: number[] = [];
      const slot = (node: number) => {
        let k = index.get(node);
        if (k === undefined) {
          k = nextNodes.length;
          index.set(node, k);
          nextNodes.push(node);
          nextPb.push(NEG);
          nextPnb.push(NEG);
        }
        return k;
      };
      const lpBlank = data[o + blank]!;
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[i]!;
        const pb = pbs[i]!;
        const pnb = pnbs[i]!;
        const total = logAdd(pb, pnb);
        const last = trie.token[node]!;
        let k = slot(node);
        nextPb[k] = logAdd(nextPb[k]!, total + lpBlank);
        if (last >= 0) nextPnb[k] = logAdd(nextPnb[k]!, pnb + data[o + last]!);
        for (let j = 0; j < nc; j++) {
          const c = candidates[j]!;
          const lp = data[o + c]!;
          // A repeated label starts a new token only after a blank.
          const mass = c === last ? pb + lp : total + lp;
          if (mass === NEG) continue;
          const child = trie.child(node, c);
          if (trie.lmLogProb[child] === NEG) continue; // the LM forbids this prefix
          k = slot(child);
          nextPnb[k] = logAdd(nextPnb[k]!, mass);
        }
      }
      const order = nextNodes.map((_, k) => k);
      const scores = nextNodes.map((n, k) => score(n, nextPb[k]!, nextPnb[k]!));
      order.sort((x, y) => scores[y]! - scores[x]!);
      const keep = order.slice(0, beamWidth).filter((k) => scores[k]! > NEG);
      nodes = keep.map((k) => nextNodes[k]!);
      pbs = keep.map((k) => nextPb[k]!);
      pnbs = keep.map((k) => nextPnb[k]!);
    }
    const hyps: BeamHypothesis[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const acoustic = logAdd(pbs[i]!, pnbs[i]!);
      const lmLogProb = lm ? trie.lmLogProb[node]! + lm.end(trie.lmState[node]!) : 0;
      const s = acoustic + weighted(lmLogProb) + bonus * trie.length[node]!;
      if (s > NEG) hyps.push({ tokens: trie.tokens(node), score: s, acousticLogProb: acoustic, lmLogProb });
    }
    hyps.sort((x, y) => y.score - x.score);
    results.push(hyps.slice(0, nBest));
  }
  return results;
}
