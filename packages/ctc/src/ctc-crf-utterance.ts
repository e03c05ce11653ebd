// One utterance of the CTC-CRF kernel: the CTC numerator (ctc-forward-backward.ts) and the
// denominator (denominator-forward-backward.ts) of the same logits, their gradients combined in
// place. It depends on the utterance alone, so the serial loop and any split of the batch over the
// worker threads (ctc-shared-job.ts) give the same bits.
import { type CtcBatch, CtcWorkspace, ctcUtterance, maxExtendedStates } from './ctc-forward-backward';
import { DenWorkspace } from './denominator-forward-backward';
import type { DenominatorLayout } from './denominator-layout';

/** Per-thread scratch space of the CTC-CRF kernel. */
export interface CrfWorkspace {
  readonly ctc: CtcWorkspace;
  readonly den: DenWorkspace;
  /** [time, classes] the denominator occupancy of one utterance. */
  readonly occ: Float32Array;
  /** Whether the last utterance needed a log-space recursion (numerator or denominator). */
  fellBack: boolean;
}

let cached: DenWorkspace | undefined;
let cachedId = -1;
let cachedT = -1;

/**
 * Scratch space for a batch over `layout`; the denominator part (T x states floats) is kept per
 * thread and reused while the layout and frame count allow it.
 */
export function crfWorkspace(batch: CtcBatch, layout: DenominatorLayout): CrfWorkspace {
  if (!cached || cachedId !== layout.id || cachedT < batch.time) {
    cached = new DenWorkspace(layout, batch.time);
    cachedId = layout.id;
    cachedT = batch.time;
  }
  return {
    ctc: new CtcWorkspace(batch.time, batch.classes, maxExtendedStates(batch.targets)),
    den: cached,
    occ: new Float32Array(Math.max(1, batch.time) * batch.classes),
    fellBack: false,
  };
}

/**
 * Utterance `b` of a CTC-CRF batch (`batch.scores` must be `'logits'`): returns the CTC loss
 * `-log p_ctc(l | x)` and stores the denominator log-score in `den[b]`; with `grad`, writes
 * d/d logits of `(1 + lambda) * ctc + den` into its rows (NaN when the CTC loss is infinite).
 */
export function crfUtterance(
  batch: CtcBatch,
  b: number,
  ws: CrfWorkspace,
  lambda: number,
  grad: Float32Array | undefined,
  den: Float64Array,
  logOnly: boolean,
): number {
  const { time: T, classes: C } = batch;
  const L = batch.inputLengths[b]!;
  const base = b * T * C;
  const ctc = ctcUtterance(batch, b, ws.ctc, grad, logOnly); // grad rows: softmax - occupancy_num
  const finite = ctc !== Number.POSITIVE_INFINITY;
  const occ = grad && finite ? ws.occ : undefined;
  den[b] = ws.den.utterance(batch.data, base, L, occ, logOnly, 0);
  if (occ && den[b] === Number.NEGATIVE_INFINITY) occ.fill(0, 0, L * C); // no path: no occupancy
  ws.fellBack = ws.ctc.fellBack || ws.den.fellBack;
  if (!grad || !finite) return ctc;
  // d/dx [(1 + lambda) ctc + den] = (1 + lambda)(softmax - occ_num) + occ_den - softmax: the two
  // log-softmax normalisers cancel because both occupancies sum to one per frame.
  const { e, invSum } = ws.den;
  const w = 1 + lambda;
  for (let t = 0; t < L; t++) {
    const o = base + t * C;
    const r = t * C;
    const inv = invSum[t]!;
    for (let c = 0; c < C; c++) grad[o + c] = w * grad[o + c]! + ws.occ[r + c]! - e[r + c]! * inv;
  }
  return ctc;
}

/** CTC losses, denominator log-scores and (if asked) the combined gradient of a CTC-CRF batch. */
export interface CrfBatchResult {
  /** `-log p_ctc(l | x)` per utterance. */
  readonly losses: Float64Array;
  /** Denominator log-score per utterance. */
  readonly den: Float64Array;
  /** d/d logits of `(1 + lambda) * ctc + den`, `[batch, time, classes]`. */
  readonly grad?: Float32Array;
  /** Utterances that needed a log-space recursion. */
  readonly logSpaceFallbacks: number;
}

/** The CTC-CRF kernel over a batch on the calling thread (see {@link crfUtterance}). */
export function crfForwardBackward(
  batch: CtcBatch,
  layout: DenominatorLayout,
  lambda: number,
  options: { grad?: boolean; method?: 'auto' | 'log' } = {},
): CrfBatchResult {
  const { batch: B, time: T, classes: C } = batch;
  const grad = (options.grad ?? true) ? new Float32Array(B * T * C) : undefined;
  const losses = new Float64Array(B);
  const den = new Float64Array(B);
  const ws = crfWorkspace(batch, layout);
  let fallbacks = 0;
  for (let b = 0; b < B; b++) {
    losses[b] = crfUtterance(batch, b, ws, lambda, grad, den, options.method === 'log');
    if (ws.fellBack) fallbacks++;
  }
  return grad
    ? { losses, den, grad, logSpaceFallbacks: fallbacks }
    : { losses, den, logSpaceFallbacks: fallbacks };
}

/** Work of a CTC-CRF batch in inner-loop units: frames x (CTC states + classes + graph states + arcs). */
export function crfWork(batch: CtcBatch, layout: DenominatorLayout): number {
  const perFrame = layout.numLmStates + layout.numLabelStates + layout.inFrom.length;
  let work = 0;
  for (let b = 0; b < batch.batch; b++) {
    work += batch.inputLengths[b]! * (2 * batch.targets[b]!.length + 1 + batch.classes + perFrame);
  }
  return work;
}
