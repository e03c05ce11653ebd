// The denominator graph (denominator-graph.ts) laid out for the inner loops of its forward-backward:
// label states renumbered so those of one LM state are contiguous (the blank state's sum over them
// is a run), LM arcs grouped by destination label state for the forward pass (a gather, no
// scattered writes) and by source LM state for the backward pass, and the one arc a label state
// may not take (the repeat of its own label) stored beside that state. Every array lives in
// SharedArrayBuffer memory, so the layout is posted to the worker threads without a copy.
import type { DenominatorGraph } from './denominator-graph';

/** A {@link DenominatorGraph} in the arrays the denominator kernel reads (internal). */
export interface DenominatorLayout {
  /** Process-unique id, so a worker builds its scratch space once per layout. */
  readonly id: number;
  readonly numClasses: number;
  readonly blank: number;
  /** LM states G: blank state B(q) is index q of a row. */
  readonly numLmStates: number;
  /** Label states K: label state k is index G + k of a row (in this layout's order). */
  readonly numLabelStates: number;
  readonly startState: number;
  /** exp(log P(</s> | q)) per LM state. */
  readonly finalP: Float64Array;
  /** log P(</s> | q) per LM state. */
  readonly finalLogProb: Float64Array;
  /** [G + 1] label states of LM state q are `lsStart[q] .. lsStart[q + 1] - 1`. */
  readonly lsStart: Int32Array;
  /** [K] LM state of each label state. */
  readonly lsLm: Int32Array;
  /** [K] class emitted by each label state. */
  readonly lsClass: Int32Array;
  /** [K + 1] arcs entering label state k are `inStart[k] .. inStart[k + 1] - 1` of the in-arrays. */
  readonly inStart: Int32Array;
  /** Source LM state of each entering arc. */
  readonly inFrom: Int32Array;
  /** Row index (G + k') of the source label state that may not take the arc, or S (a zero slot). */
  readonly inExclude: Int32Array;
  /** exp(arc log-probability) of each entering arc. */
  readonly inP: Float64Array;
  /** log-probability of each entering arc. */
  readonly inLogProb: Float64Array;
  /** [G + 1] arcs leaving LM state q are `outStart[q] .. outStart[q + 1] - 1` of the out-arrays. */
  readonly outStart: Int32Array;
  /** Destination label state of each leaving arc. */
  readonly outTo: Int32Array;
  /** exp(arc log-probability) of each leaving arc. */
  readonly outP: Float64Array;
  /** log-probability of each leaving arc. */
  readonly outLogProb: Float64Array;
  /** [K] exp(log-probability) of the arc label state k may not take (its repeat), or 0. */
  readonly exclP: Float64Array;
  /** [K] log-probability of that arc, or -Infinity. */
  readonly exclLogProb: Float64Array;
  /** [K] destination label state of that arc (0 when there is none; exclP is then 0). */
  readonly exclTo: Int32Array;
}

let nextId = 1;
const cache = new WeakMap<DenominatorGraph, DenominatorLayout>();

function shared<T extends Int32Array | Float64Array>(
  ctor: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
  n: number,
): T {
  const buffer = new SharedArrayBuffer(Math.max(8, n * ctor.BYTES_PER_ELEMENT));
  // TypeScript's constructor signatures only name ArrayBuffer; shared buffers are accepted too.
  return new ctor(buffer as unknown as ArrayBuffer, 0, n);
}

/** The inner-loop layout of `graph`, built once per graph and cached. */
export function denominatorLayout(graph: DenominatorGraph): DenominatorLayout {
  const hit = cache.get(graph);
  if (hit) return hit;
  const G = graph.numLmStates;
  const K = graph.numLabelStates;
  const S = G + K;
  const A = graph.arcFrom.length;
  // New label-state order: by LM state, then by original index (stable).
  const lsStart = shared(Int32Array, G + 1);
  for (let k = 0; k < K; k++) lsStart[graph.labelStateLm[k]! + 1]!++;
  for (let q = 0; q < G; q++) lsStart[q + 1]! += lsStart[q]!;
  const newOf = new Int32Array(K);
  const fill = lsStart.slice(0, G);
  for (let k = 0; k < K; k++) newOf[k] = fill[graph.labelStateLm[k]!]!++;
  const lsLm = shared(Int32Array, K);
  const lsClass = shared(Int32Array, K);
  for (let k = 0; k < K; k++) {
    lsLm[newOf[k]!] = graph.labelStateLm[k]!;
    lsClass[newOf[k]!] = graph.labelStateClass[k]!;
  }
  // Arcs by destination (forward) and by source (backward), each stable in arc order.
  const inStart = shared(Int32Array, K + 1);
  const outStart = shared(Int32Array, G + 1);
  for (let a = 0; a < A; a++) {
    inStart[newOf[graph.arcTo[a]!]! + 1]!++;
    outStart[graph.arcFrom[a]! + 1]!++;
  }
  for (let k = 0; k < K; k++) inStart[k + 1]! += inStart[k]!;
  for (let q = 0; q < G; q++) outStart[q + 1]! += outStart[q]!;
  const inFrom = shared(Int32Array, A);
  const inExclude = shared(Int32Array, A);
  const inP = shared(Float64Array, A);
  const inLogProb = shared(Float64Array, A);
  const outTo = shared(Int32Array, A);
  const outP = shared(Float64Array, A);
  const outLogProb = shared(Float64Array, A);
  const exclP = shared(Float64Array, K);
  const exclLogProb = shared(Float64Array, K).fill(Number.NEGATIVE_INFINITY);
  const exclTo = shared(Int32Array, K);
  const inFill = inStart.slice(0, K);
  const outFill = outStart.slice(0, G);
  for (let a = 0; a < A; a++) {
    const to = newOf[graph.arcTo[a]!]!;
    const x = graph.arcExclude[a]!;
    const lp = graph.arcLogProb[a]!;
    const i = inFill[to]!++;
    inFrom[i] = graph.arcFrom[a]!;
    inExclude[i] = x >= 0 ? G + newOf[x]! : S;
    inP[i] = Math.exp(lp);
    inLogProb[i] = lp;
    const o = outFill[graph.arcFrom[a]!]!++;
    outTo[o] = to;
    outP[o] = Math.exp(lp);
    outLogProb[o] = lp;
    if (x >= 0) {
      exclP[newOf[x]!] = Math.exp(lp);
      exclLogProb[newOf[x]!] = lp;
      exclTo[newOf[x]!] = to;
    }
  }
  const finalLogProb = shared(Float64Array, G);
  finalLogProb.set(graph.finalLogProb);
  const finalP = shared(Float64Array, G);
  for (let q = 0; q < G; q++) finalP[q] = Math.exp(finalLogProb[q]!);
  const layout: DenominatorLayout = {
    id: nextId++,
    numClasses: graph.numClasses,
    blank: graph.blank,
    numLmStates: G,
    numLabelStates: K,
    startState: graph.startState,
    finalP,
    finalLogProb,
    lsStart,
    lsLm,
    lsClass,
    inStart,
    inFrom,
    inExclude,
    inP,
    inLogProb,
    outStart,
    outTo,
    outP,
    outLogProb,
    exclP,
    exclLogProb,
    exclTo,
  };
  cache.set(graph, layout);
  return layout;
}
