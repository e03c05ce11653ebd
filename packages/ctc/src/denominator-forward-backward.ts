// Forward-backward over the CTC-CRF denominator graph (see denominator-graph.ts) with log-softmax
// frame potentials, on typed arrays, one utterance at a time (so a batch can be split over threads
// with identical bits; see ctc-shared-job.ts). The fast path works in the probability domain with
// every alpha row rescaled to sum 1 (as ctc-forward-backward.ts does) over the inner-loop layout of
// denominator-layout.ts: the recursion runs in float64, and the alpha rows the backward pass reads
// are kept in float32 (half the memory traffic; they only enter the float32 occupancies, as
// ratios within a frame). An utterance whose rows underflow float64 is redone in log space, which
// is exact for any finite scores.
import type { DenominatorGraph } from './denominator-graph';
import { type DenominatorLayout, denominatorLayout } from './denominator-layout';

/** Per-utterance denominator log-scores and, if asked, the frame-class occupancies. */
export interface DenominatorResult {
  /** log of the sum over all graph paths of exp(sum of log-softmax potentials + LM log-weight). */
  readonly logZ: Float64Array;
  /** Posterior of each class at each frame under the graph, `[batch, time, classes]`; 0 on padding. */
  readonly occupancy?: Float32Array;
  /** How many utterances fell back to the log-space recursion. */
  readonly logSpaceFallbacks: number;
}

/** Options of {@link denominatorForwardBackward}. */
export interface DenominatorKernelOptions {
  /** Compute occupancies too (default true). */
  readonly grad?: boolean;
  /** `'auto'` (scaled, log space on underflow) or `'log'` (always log space; for tests). */
  readonly method?: 'auto' | 'log';
}

const TINY = 1e-290;
const NEG = Number.NEGATIVE_INFINITY;

/**
 * Runs the denominator forward-backward over a batch of logits `[batch, time, classes]` (row-major)
 * on the calling thread; the potentials are their log-softmax. Inputs must already be validated.
 */
export function denominatorForwardBackward(
  data: Float32Array | Float64Array,
  shape: readonly [number, number, number],
  inputLengths: ArrayLike<number>,
  graph: DenominatorGraph,
  options: DenominatorKernelOptions = {},
): DenominatorResult {
  const [B, T, C] = shape;
  const wantGrad = options.grad ?? true;
  const logZ = new Float64Array(B);
  const occupancy = wantGrad ? new Float32Array(B * T * C) : undefined;
  const ws = new DenWorkspace(denominatorLayout(graph), T);
  let fallbacks = 0;
  for (let b = 0; b < B; b++) {
    logZ[b] = ws.utterance(data, b * T * C, inputLengths[b]!, occupancy, options.method === 'log');
    if (ws.fellBack) fallbacks++;
  }
  return occupancy
    ? { logZ, occupancy, logSpaceFallbacks: fallbacks }
    : { logZ, logSpaceFallbacks: fallbacks };
}

/** Scratch space of the denominator kernel for one layout and up to `T` frames (one per thread). */
export class DenWorkspace {
  /** Whether the last utterance needed the log-space recursion. */
  fellBack = false;
  /** The layout this workspace was built for. */
  readonly layout: DenominatorLayout;
  private readonly C: number;
  private readonly G: number;
  private readonly K: number;
  private readonly S: number;
  /** [T, C] exp(score - max_t). */
  readonly e: Float64Array;
  /** [T] 1 / sum_c e[t, c]: the softmax of class c at frame t is e[t, c] * invSum[t]. */
  readonly invSum: Float64Array;
  private readonly logNorm: Float64Array; // [T] log-softmax of class c is log e[t, c] - logNorm[t]
  private readonly alpha: Float32Array; // [T, S] scaled rows kept for the backward pass
  private prev: Float64Array; // [S + 1] the working rows; index S is always 0
  private cur: Float64Array;
  private u: Float64Array; // [G]
  private un: Float64Array; // [G]
  private readonly beta: Float64Array; // [S]
  private readonly v: Float64Array; // [S]
  private readonly occ: Float64Array; // [C]
  private data: Float32Array | Float64Array = new Float64Array(0);
  private base = 0;
  private L = 0;

  constructor(layout: DenominatorLayout, T: number) {
    this.layout = layout;
    this.C = layout.numClasses;
    this.G = layout.numLmStates;
    this.K = layout.numLabelStates;
    this.S = this.G + this.K;
    const C = this.C;
    this.e = new Float64Array(Math.max(1, T) * C);
    this.invSum = new Float64Array(Math.max(1, T));
    this.logNorm = new Float64Array(Math.max(1, T));
    this.alpha = new Float32Array(Math.max(1, T) * this.S);
    this.prev = new Float64Array(this.S + 1);
    this.cur = new Float64Array(this.S + 1);
    this.u = new Float64Array(this.G);
    this.un = new Float64Array(this.G);
    this.beta = new Float64Array(this.S);
    this.v = new Float64Array(this.S);
    this.occ = new Float64Array(C);
  }

  /**
   * log Z of one utterance (`L` frames of logits at `data[base..]`), writing its occupancy rows at
   * `occOut[obase..]` (default `base`) if given; `fellBack` tells whether it needed the log-space
   * recursion.
   */
  utterance(
    data: Float32Array | Float64Array,
    base: number,
    L: number,
    occOut: Float32Array | undefined,
    logOnly: boolean,
    obase = base,
  ): number {
    this.load(data, base, L);
    this.fellBack = false;
    let z = logOnly ? Number.NaN : this.scaled(occOut, obase);
    if (Number.isNaN(z)) {
      this.fellBack = true;
      z = this.logSpace(occOut, obase);
    }
    return z;
  }

  private load(data: Float32Array | Float64Array, base: number, L: number): void {
    const { C, e, logNorm, invSum } = this;
    this.data = data;
    this.base = base;
    this.L = L;
    for (let t = 0; t < L; t++) {
      const o = base + t * C;
      let m = NEG;
      for (let c = 0; c < C; c++) if (data[o + c]! > m) m = data[o + c]!;
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const x = Math.exp(data[o + c]! - m);
        e[t * C + c] = x;
        sum += x;
      }
      logNorm[t] = Math.log(sum);
      invSum[t] = 1 / sum;
    }
  }

  /**
   * Scaled forward-backward; returns log Z, or NaN when float64 underflows. Row t is scaled to sum
   * 1 after the factor `sum` logged for it; the previous row's normaliser is folded into the
   * emissions (occupancies are per-row ratios, so the backward pass needs no rescaling).
   */
  private scaled(occOut: Float32Array | undefined, obase: number): number {
    const { C, G, S, e, logNorm, alpha, L } = this;
    const lay = this.layout;
    const { lsStart, lsClass, inStart, inFrom, inExclude, inP, finalP, blank } = lay;
    if (L === 0) return lay.finalLogProb[lay.startState]!;
    let prev = this.prev;
    let cur = this.cur;
    // u[q]: all the mass of the previous row in LM state q (its blank and label states), built
    // while that row is computed; un collects the current row's for the next frame.
    let u = this.u;
    let un = this.un;
    let logZ = 0;
    let inv = 1; // 1 / sum of the previous row
    prev.fill(0);
    u.fill(0);
    // Frame 0 enters from B(start) alone: a virtual previous row holding just that state.
    prev[lay.startState] = 1;
    u[lay.startState] = 1;
    for (let t = 0; t < L; t++) {
      const er = t * C;
      const sc = inv;
      const eb = e[er + blank]! * sc;
      let sum = 0;
      for (let q = 0; q < G; q++) {
        const xb = eb * u[q]!;
        cur[q] = xb;
        let mass = xb;
        for (let k = lsStart[q]!, end = lsStart[q + 1]!; k < end; k++) {
          let acc = prev[G + k]!; // the repeat of the label
          for (let a = inStart[k]!, stop = inStart[k + 1]!; a < stop; a++) {
            // no repeat of a label without a blank in between: the source's own label state is out
            const src = u[inFrom[a]!]! - prev[inExclude[a]!]!;
            if (src > 0) acc += inP[a]! * src;
          }
          const x = acc * e[er + lsClass[k]!]! * sc;
          cur[G + k] = x;
          mass += x;
        }
        un[q] = mass;
        sum += mass;
      }
      if (!(sum > TINY) || !Number.isFinite(sum)) return this.keep(prev, cur, u, un, Number.NaN);
      inv = 1 / sum;
      logZ += Math.log(sum) - logNorm[t]!;
      if (occOut) {
        // stored normalised, so float32 loses only states below 1e-38 of the row's mass
        const row = t * S;
        for (let s = 0; s < S; s++) alpha[row + s] = cur[s]! * inv;
      }
      let swap = prev;
      prev = cur;
      cur = swap;
      swap = u;
      u = un;
      un = swap;
    }
    // u now holds the last row's mass per LM state (unnormalised by its own sum).
    let end = 0;
    for (let q = 0; q < G; q++) end += u[q]! * finalP[q]!;
    end *= inv;
    this.keep(prev, cur, u, un, 0);
    if (end === 0) return NEG; // no path of L frames ends in a final state
    if (!(end > TINY)) return Number.NaN;
    logZ += Math.log(end);
    if (occOut && !this.scaledBackward(occOut, obase)) return Number.NaN;
    return logZ;
  }

  /** Stores the swapped working rows back (index S of both rows stays 0). */
  private keep(prev: Float64Array, cur: Float64Array, u: Float64Array, un: Float64Array, r: number): number {
    this.prev = prev;
    this.cur = cur;
    this.u = u;
    this.un = un;
    return r;
  }

  /**
   * Backward pass with the occupancies computed as each beta is: beta_t from v = e_{t+1} beta_{t+1}
   * (rescaled by the previous frame's total), the LM-arc sum gathered per source state.
   */
  private scaledBackward(occOut: Float32Array, obase: number): boolean {
    const { C, G, K, S, e, alpha, beta, v, occ, L } = this;
    const lay = this.layout;
    const { lsStart, lsClass, outStart, outTo, outP, exclP, exclTo, finalP, blank } = lay;
    for (let t = L - 1; t >= 0; t--) {
      const last = t === L - 1;
      const row = t * S;
      occ.fill(0);
      let ob = 0;
      let z = 0;
      for (let q = 0; q < G; q++) {
        let w: number;
        if (last) w = finalP[q]!;
        else {
          let s = v[q]!;
          for (let a = outStart[q]!, end = outStart[q + 1]!; a < end; a++) s += outP[a]! * v[G + outTo[a]!]!;
          w = s;
        }
        beta[q] = w;
        ob += alpha[row + q]! * w;
        for (let k = lsStart[q]!, end = lsStart[q + 1]!; k < end; k++) {
          let b = w;
          if (!last) {
            b += v[G + k]! - exclP[k]! * v[G + exclTo[k]!]!;
            if (!(b > 0)) b = 0; // negative only by rounding
          }
          beta[G + k] = b;
          const p = alpha[row + G + k]! * b;
          occ[lsClass[k]!]! += p;
          z += p;
        }
      }
      z += ob;
      if (!(z > TINY) || !Number.isFinite(z)) return false;
      const invZ = 1 / z;
      occ[blank]! += ob;
      const go = obase + t * C;
      for (let c = 0; c < C; c++) occOut[go + c] = occ[c]! * invZ;
      if (t > 0) {
        // v for frame t - 1, rescaled so beta stays near 1 (only ratios within a row matter).
        const er = t * C;
        const eb = e[er + blank]! * invZ;
        for (let q = 0; q < G; q++) v[q] = beta[q]! * eb;
        for (let k = 0; k < K; k++) v[G + k] = beta[G + k]! * e[er + lsClass[k]!]! * invZ;
      }
    }
    return true;
  }

  /** Exact log-space forward-backward over the explicit transitions (no shared sums). */
  private logSpace(occOut: Float32Array | undefined, obase: number): number {
    const { C, G, K, S, data, base, logNorm, L } = this;
    const lay = this.layout;
    const {
      lsStart,
      lsLm,
      lsClass,
      inStart,
      inFrom,
      inExclude,
      inLogProb,
      outStart,
      outTo,
      outLogProb,
      exclLogProb,
      exclTo,
      finalLogProb,
      blank,
    } = lay;
    if (L === 0) return finalLogProb[lay.startState]!;
    const logp = new Float64Array(L * C);
    for (let t = 0; t < L; t++) {
      let m = NEG;
      for (let c = 0; c < C; c++) if (data[base + t * C + c]! > m) m = data[base + t * C + c]!;
      for (let c = 0; c < C; c++) logp[t * C + c] = data[base + t * C + c]! - m - logNorm[t]!;
    }
    const la = new Float64Array(L * S).fill(NEG);
    const prev0 = new Float64Array(S).fill(NEG);
    prev0[lay.startState] = 0;
    for (let t = 0; t < L; t++) {
      const row = t * S;
      const prev = t === 0 ? prev0 : la.subarray(row - S, row);
      const lp = t * C;
      for (let q = 0; q < G; q++) {
        // B(q) <- B(q) and every L(q, l), by blank
        let s = prev[q]!;
        for (let i = lsStart[q]!; i < lsStart[q + 1]!; i++) s = logAddExp(s, prev[G + i]!);
        la[row + q] = s + logp[lp + blank]!;
      }
      for (let k = 0; k < K; k++) {
        let s = prev[G + k]!; // repeat
        for (let a = inStart[k]!; a < inStart[k + 1]!; a++) {
          const q = inFrom[a]!;
          let src = prev[q]!;
          for (let i = lsStart[q]!; i < lsStart[q + 1]!; i++) {
            if (G + i !== inExclude[a]) src = logAddExp(src, prev[G + i]!);
          }
          s = logAddExp(s, src + inLogProb[a]!);
        }
        la[row + G + k] = s + logp[lp + lsClass[k]!]!;
      }
    }
    const last = (L - 1) * S;
    let logZ = NEG;
    for (let q = 0; q < G; q++) logZ = logAddExp(logZ, la[last + q]! + finalLogProb[q]!);
    for (let k = 0; k < K; k++) logZ = logAddExp(logZ, la[last + G + k]! + finalLogProb[lsLm[k]!]!);
    if (!occOut || logZ === NEG) return logZ;
    let lb = new Float64Array(S);
    let nb = new Float64Array(S);
    for (let q = 0; q < G; q++) lb[q] = finalLogProb[q]!;
    for (let k = 0; k < K; k++) lb[G + k] = finalLogProb[lsLm[k]!]!;
    const lv = new Float64Array(S);
    for (let t = L - 1; t >= 0; t--) {
      if (t < L - 1) {
        const lp = (t + 1) * C;
        for (let q = 0; q < G; q++) lv[q] = lb[q]! + logp[lp + blank]!;
        for (let k = 0; k < K; k++) lv[G + k] = lb[G + k]! + logp[lp + lsClass[k]!]!;
        for (let q = 0; q < G; q++) {
          let s = lv[q]!;
          for (let a = outStart[q]!; a < outStart[q + 1]!; a++)
            s = logAddExp(s, outLogProb[a]! + lv[G + outTo[a]!]!);
          nb[q] = s;
        }
        for (let k = 0; k < K; k++) {
          const q = lsLm[k]!;
          const excluded = exclLogProb[k] !== NEG;
          let s = logAddExp(lv[q]!, lv[G + k]!);
          for (let a = outStart[q]!; a < outStart[q + 1]!; a++) {
            if (!(excluded && outTo[a] === exclTo[k])) s = logAddExp(s, outLogProb[a]! + lv[G + outTo[a]!]!);
          }
          nb[G + k] = s;
        }
        [lb, nb] = [nb, lb];
      }
      const row = t * S;
      const go = obase + t * C;
      for (let c = 0; c < C; c++) occOut[go + c] = 0;
      for (let q = 0; q < G; q++) occOut[go + blank]! += Math.exp(la[row + q]! + lb[q]! - logZ);
      for (let k = 0; k < K; k++) occOut[go + lsClass[k]!]! += Math.exp(la[row + G + k]! + lb[G + k]! - logZ);
    }
    return logZ;
  }
}

/** log(exp(a) + exp(b)) without overflow, exact at -Infinity. */
function logAddExp(a: number, b: number): number {
  if (a === NEG) return b;
  if (b === NEG) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}
