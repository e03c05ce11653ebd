// The CTC-CRF denominator graph: the CTC topology composed with a phone n-gram LM (CAT's
// den_lm.fst = T.fst o phone_lm.fst; An, Xiang, Ou, ICASSP 2019, section 3), kept compact by
// sharing each LM state's outgoing LM arcs between its blank state and its label states.
//
// Composed states: B(g), "in LM state g after a blank (or at the start)", which emits blank, and
// L(g, l), "in LM state g, the last frame emitted label l", which emits l. Per frame:
//   B(g) -> B(g) (blank), L(g, l) -> B(g) (blank), L(g, l) -> L(g, l) (repeat of l, no LM cost),
//   B(g) -> L(g', w) and L(g, l) -> L(g', w) for w != l with weight P(w | g), g' = next(g, w).
// The repeat of a label therefore needs a blank in between, as in CTC.
import type { ArpaModel } from './arpa-model';

/** A compact CTC x phone-LM automaton for {@link ctcCrfLoss}; build it with {@link buildDenominatorGraph}. */
export interface DenominatorGraph {
  /** Class count the graph was built for (the last dimension of the logits). */
  readonly numClasses: number;
  /** Index of the blank class. */
  readonly blank: number;
  /** Number of LM states g; the blank state B(g) has index g. */
  readonly numLmStates: number;
  /** LM state of the start (after `<s>`). */
  readonly startState: number;
  /** log P(</s> | g) per LM state (-Infinity if the sentence cannot end there). */
  readonly finalLogProb: Float64Array;
  /** Number of label states L(g, l); label state k has composed index numLmStates + k. */
  readonly numLabelStates: number;
  /** LM state of each label state. */
  readonly labelStateLm: Int32Array;
  /** Class emitted by each label state. */
  readonly labelStateClass: Int32Array;
  /** LM arcs: source LM state. */
  readonly arcFrom: Int32Array;
  /** LM arcs: word (class id). */
  readonly arcLabel: Int32Array;
  /** LM arcs: natural-log probability P(w | g). */
  readonly arcLogProb: Float64Array;
  /** LM arcs: the label state L(g', w) they enter. */
  readonly arcTo: Int32Array;
  /** LM arcs: the label state L(g, w) of the source that must not take the arc (a repeat), or -1. */
  readonly arcExclude: Int32Array;
  /** LM weight (natural log, `<s>` to `</s>`) of a label sequence; -Infinity if the LM forbids it. */
  sequenceLogProb(labels: ArrayLike<number>): number;
}

/** Options of {@link buildDenominatorGraph}. */
export interface DenominatorGraphOptions {
  /** Number of classes of the acoustic model, blank included. */
  readonly numClasses: number;
  /** Blank index (default 0). */
  readonly blank?: number;
}

/** Thrown when an LM cannot be turned into a denominator graph; the message says which word or option. */
export class DenominatorGraphError extends Error {
  override name = 'DenominatorGraphError';
}

// log10 values at or below this are SRILM's "log10(0)".
const ZERO_LOG10 = -98.99;

/**
 * Composes the CTC topology with a phone n-gram LM (from {@link estimatePhoneLm} or `loadArpa`),
 * keeping only LM states reachable from `<s>`. LM words must be class ids in decimal.
 *
 * ```ts
 * const graph = buildDenominatorGraph(estimatePhoneLm(trainLabels), { numClasses: 72 });
 * ```
 */
export function buildDenominatorGraph(lm: ArpaModel, options: DenominatorGraphOptions): DenominatorGraph {
  const fn = 'buildDenominatorGraph';
  const C = options?.numClasses;
  const blank = options?.blank ?? 0;
  if (!Number.isInteger(C) || C < 2) {
    throw new DenominatorGraphError(`${fn}: options.numClasses must be an integer >= 2, got ${C}`);
  }
  if (!Number.isInteger(blank) || blank < 0 || blank >= C) {
    throw new DenominatorGraphError(`${fn}: options.blank must be an integer in [0, ${C}), got ${blank}`);
  }
  const N = lm.order;
  const tables = lm.ngrams;
  // ext[h] = the words listed after history h, with their log10 probabilities.
  const ext = new Map<string, Map<string, number>>();
  for (let n = 0; n < N; n++) {
    for (const [key, { logProb10 }] of tables[n]!) {
      const sp = key.lastIndexOf(' ');
      const h = sp < 0 ? '' : key.slice(0, sp);
      const w = sp < 0 ? key : key.slice(sp + 1);
      let m = ext.get(h);
      if (!m) ext.set(h, (m = new Map()));
      m.set(w, logProb10);
    }
  }
  const bowOf = (h: string): number => {
    if (h === '') return 0;
    const len = h.split(' ').length;
    return len <= N ? (tables[len - 1]!.get(h)?.backoff10 ?? 0) : 0;
  };
  // A history is an LM state if it changes the distribution: it has listed words or a back-off.
  const isState = (h: string) =>
    h === '' || (ext.has(h) && !h.endsWith(EOS)) || (bowOf(h) !== 0 && !h.endsWith(EOS));
  const stateOf = (words: string[]): string => {
    for (let i = Math.max(0, words.length - (N - 1)); i < words.length; i++) {
      const h = words.slice(i).join(' ');
      if (isState(h)) return h;
    }
    return '';
  };
  const dists = new Map<string, Map<string, number>>();
  const dist = (h: string): Map<string, number> => {
    let d = dists.get(h);
    if (d) return d;
    d = new Map();
    for (const [w, p] of ext.get(h) ?? []) if (p > ZERO_LOG10) d.set(w, p);
    const bow = bowOf(h);
    if (h !== '' && bow > ZERO_LOG10) {
      const sp = h.indexOf(' ');
      for (const [w, p] of dist(sp < 0 ? '' : h.slice(sp + 1))) if (!d.has(w)) d.set(w, bow + p);
    }
    dists.set(h, d);
    return d;
  };
  const classOf = (w: string): number => {
    const id = Number(w);
    if (!/^\d+$/.test(w) || id >= C || id === blank) {
      throw new DenominatorGraphError(
        `${fn}: the LM word "${w}" is not a class id in [0, ${C}) other than the blank ${blank}`,
      );
    }
    return id;
  };
  // Breadth-first over LM states reachable from <s>.
  const ids = new Map<string, number>();
  const names: string[] = [];
  const idOf = (h: string): number => {
    let id = ids.get(h);
    if (id === undefined) {
      id = names.length;
      ids.set(h, id);
      names.push(h);
    }
    return id;
  };
  const start = idOf(stateOf([BOS]));
  const finals: number[] = [];
  const arcs: { from: number; label: number; logProb: number; to: number }[] = [];
  for (let g = 0; g < names.length; g++) {
    const h = names[g]!;
    const hw = h === '' ? [] : h.split(' ');
    let fin = Number.NEGATIVE_INFINITY;
    for (const [w, p10] of dist(h)) {
      if (w === EOS) {
        fin = p10 * Math.LN10;
        continue;
      }
      if (w === BOS) continue;
      const label = classOf(w);
      arcs.push({ from: g, label, logProb: p10 * Math.LN10, to: idOf(stateOf([...hw, w])) });
    }
    finals[g] = fin;
  }
  const G = names.length;
  // Label states: one per (destination LM state, label) pair that an arc enters.
  const labelIds = new Map<number, number>();
  const lsLm: number[] = [];
  const lsClass: number[] = [];
  const labelState = (g: number, label: number): number => {
    const key = g * C + label;
    let k = labelIds.get(key);
    if (k === undefined) {
      k = lsLm.length;
      labelIds.set(key, k);
      lsLm.push(g);
      lsClass.push(label);
    }
    return k;
  };
  const arcTo = new Int32Array(arcs.length);
  arcs.forEach((a, i) => {
    arcTo[i] = labelState(a.to, a.label);
  });
  const arcExclude = new Int32Array(arcs.length);
  arcs.forEach((a, i) => {
    arcExclude[i] = labelIds.get(a.from * C + a.label) ?? -1;
  });
  const arcIndex = new Map<number, number>();
  arcs.forEach((a, i) => {
    arcIndex.set(a.from * C + a.label, i);
  });
  const arcLogProb = Float64Array.from(arcs, (a) => a.logProb);
  const arcToLm = Int32Array.from(arcs, (a) => a.to);
  const finalLogProb = Float64Array.from(finals);
  return {
    numClasses: C,
    blank,
    numLmStates: G,
    startState: start,
    finalLogProb,
    numLabelStates: lsLm.length,
    labelStateLm: Int32Array.from(lsLm),
    labelStateClass: Int32Array.from(lsClass),
    arcFrom: Int32Array.from(arcs, (a) => a.from),
    arcLabel: Int32Array.from(arcs, (a) => a.label),
    arcLogProb,
    arcTo,
    arcExclude,
    sequenceLogProb(labels: ArrayLike<number>): number {
      let g = start;
      let total = 0;
      for (let i = 0; i < labels.length; i++) {
        const label = labels[i]!;
        if (!Number.isInteger(label) || label < 0 || label >= C) return Number.NEGATIVE_INFINITY;
        const a = arcIndex.get(g * C + label);
        if (a === undefined) return Number.NEGATIVE_INFINITY;
        total += arcLogProb[a]!;
        g = arcToLm[a]!;
      }
      return total + finalLogProb[g]!;
    },
  };
}

const BOS = '<s>';
const EOS = '</s>';
