// Forward-backward over the CTC-CRF denominator graph (see denominator-graph.ts) with log-softmax
// frame potentials, on typed arrays. The fast path works in the probability domain with every
// alpha row rescaled to sum 1 (as ctc-forward-backward.ts does); an utterance whose rows underflow
// float64 is redone in log space, which is exact for any finite scores.
import type { DenominatorGraph } from './denominator-graph';

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
 * Runs the denominator forward-backward over a batch of logits `[batch, time, classes]` (row-major);
 * the potentials are their log-softmax. Inputs must already be validated.
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
  const ws = new DenWorkspace(graph, T, C);
  let fallbacks = 0;
  for (let b = 0; b < B; b++) {
    const L = inputLengths[b]!;
    ws.load(data, b * T * C, L);
    let z = options.method === 'log' ? Number.NaN : ws.scaled(occupancy, b * T * C);
    if (Number.isNaN(z)) {
      fallbacks++;
      z = ws.logSpace(occupancy, b * T * C);
    }
    logZ[b] = z;
  }
  return occupancy
    ? { logZ, occupancy, logSpaceFallbacks: fallbacks }
    : { logZ, logSpaceFallbacks: fallbacks };
}

class DenWorkspace {
  private readonly g: DenominatorGraph;
  private readonly C: number;
  private readonly G: number;
  private readonly K: number;
  private readonly S: number;
  private readonly arcP: Float64Array; // exp(arc log-probability)
  private readonly finalP: Float64Array; // exp(final log-probability)
  private readonly arcStart: Int32Array; // [G + 1] arcs of each LM state (arcs are grouped by source)
  private readonly lsStart: Int32Array; // [G + 1] label states of each LM state, in lsList
  private readonly lsList: Int32Array;
  private readonly e: Float64Array; // [T, C] exp(score - max_t)
  private readonly logNorm: Float64Array; // [T] log-softmax of class c is log e[t, c] - logNorm[t]
  private readonly alpha: Float64Array; // [T, S]
  private readonly u: Float64Array; // [G]
  private readonly beta: Float64Array; // [S]
  private readonly v: Float64Array; // [S]
  private readonly occ: Float64Array; // [C]
  private data: Float32Array | Float64Array = new Float64Array(0);
  private base = 0;
  private L = 0;

  constructor(graph: DenominatorGraph, T: number, C: number) {
    this.g = graph;
    this.C = C;
    this.G = graph.numLmStates;
    this.K = graph.numLabelStates;
    this.S = this.G + this.K;
    this.arcP = graph.arcLogProb.map(Math.exp);
    this.finalP = graph.finalLogProb.map(Math.exp);
    const A = graph.arcFrom.length;
    this.arcStart = new Int32Array(this.G + 1);
    for (let a = 0; a < A; a++) this.arcStart[graph.arcFrom[a]! + 1]!++;
    for (let g = 0; g < this.G; g++) this.arcStart[g + 1]! += this.arcStart[g]!;
    for (let a = 1; a < A; a++) {
      if (graph.arcFrom[a]! < graph.arcFrom[a - 1]!)
        throw new Error('denominator graph arcs must be sorted by source');
    }
    this.lsStart = new Int32Array(this.G + 1);
    for (let k = 0; k < this.K; k++) this.lsStart[graph.labelStateLm[k]! + 1]!++;
    for (let g = 0; g < this.G; g++) this.lsStart[g + 1]! += this.lsStart[g]!;
    this.lsList = new Int32Array(this.K);
    const fill = this.lsStart.slice(0, this.G);
    for (let k = 0; k < this.K; k++) this.lsList[fill[graph.labelStateLm[k]!]!++] = k;
    this.e = new Float64Array(T * C);
    this.logNorm = new Float64Array(T);
    this.alpha = new Float64Array(Math.max(1, T) * this.S);
    this.u = new Float64Array(this.G);
    this.beta = new Float64Array(this.S);
    this.v = new Float64Array(this.S);
    this.occ = new Float64Array(C);
  }

  load(data: Float32Array | Float64Array, base: number, L: number): void {
    const { C, e, logNorm } = this;
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
    }
  }

  /**
   * Scaled forward-backward; returns log Z, or NaN when float64 underflows. Row t is stored scaled
   * so that it sums to the factor `rowSum` logged for it; the previous row's normaliser is folded
   * into the emissions (occupancies are per-row ratios, so the backward pass needs no rescaling).
   */
  scaled(occOut: Float32Array | undefined, obase: number): number {
    const { g, C, G, K, S, arcP, finalP, e, logNorm, alpha, u, L } = this;
    const { arcFrom, arcTo, arcExclude, labelStateLm: lsLm, labelStateClass: lsCls, blank } = g;
    const A = arcFrom.length;
    if (L === 0) return g.finalLogProb[g.startState]!;
    let logZ = 0;
    let inv = 1; // 1 / sum of the previous row
    for (let t = 0; t < L; t++) {
      const row = t * S;
      const rowL = row + G;
      const er = t * C;
      if (t === 0) {
        u.fill(0);
        u[g.startState] = 1;
        alpha.fill(0, row, row + S);
        for (let a = 0; a < A; a++) alpha[rowL + arcTo[a]!]! += arcP[a]! * u[arcFrom[a]!]!;
      } else {
        const prev = row - S;
        const prevL = prev + G;
        for (let q = 0; q < G; q++) u[q] = alpha[prev + q]!;
        for (let k = 0; k < K; k++) {
          const x = alpha[prevL + k]!;
          u[lsLm[k]!]! += x;
          alpha[rowL + k] = x; // the repeat of the label
        }
        for (let a = 0; a < A; a++) {
          const x = arcExclude[a]!;
          let src = u[arcFrom[a]!]!;
          if (x >= 0) {
            src -= alpha[prevL + x]!; // no repeat of a label without a blank in between
            if (src < 0) src = 0;
          }
          alpha[rowL + arcTo[a]!]! += arcP[a]! * src;
        }
      }
      let sum = 0;
      const eb = e[er + blank]! * inv;
      for (let q = 0; q < G; q++) {
        const x = eb * u[q]!;
        alpha[row + q] = x;
        sum += x;
      }
      for (let k = 0; k < K; k++) {
        const x = alpha[rowL + k]! * e[er + lsCls[k]!]! * inv;
        alpha[rowL + k] = x;
        sum += x;
      }
      if (!(sum > TINY) || !Number.isFinite(sum)) return Number.NaN;
      inv = 1 / sum;
      logZ += Math.log(sum) - logNorm[t]!;
    }
    const last = (L - 1) * S;
    let end = 0;
    for (let q = 0; q < G; q++) end += alpha[last + q]! * finalP[q]!;
    for (let k = 0; k < K; k++) end += alpha[last + G + k]! * finalP[lsLm[k]!]!;
    end *= inv;
    if (end === 0) return NEG; // no path of L frames ends in a final state
    if (!(end > TINY)) return Number.NaN;
    logZ += Math.log(end);
    if (occOut && !this.scaledBackward(occOut, obase)) return Number.NaN;
    return logZ;
  }

  private scaledBackward(occOut: Float32Array, obase: number): boolean {
    const { g, C, G, K, S, arcP, finalP, e, alpha, beta, v, occ, L, u } = this;
    const { arcFrom, arcTo, arcExclude, labelStateLm: lsLm, labelStateClass: lsCls, blank } = g;
    const A = arcFrom.length;
    for (let q = 0; q < G; q++) beta[q] = finalP[q]!;
    for (let k = 0; k < K; k++) beta[G + k] = finalP[lsLm[k]!]!;
    for (let t = L - 1; t >= 0; t--) {
      if (t < L - 1) {
        // beta_t from v = e_{t+1} * beta_{t+1}; u[q] collects the shared LM-arc sum of state q.
        u.fill(0);
        for (let a = 0; a < A; a++) u[arcFrom[a]!]! += arcP[a]! * v[G + arcTo[a]!]!;
        for (let q = 0; q < G; q++) beta[q] = v[q]! + u[q]!;
        for (let k = 0; k < K; k++) {
          const q = lsLm[k]!;
          beta[G + k] = v[q]! + v[G + k]! + u[q]!;
        }
        for (let a = 0; a < A; a++) {
          const x = arcExclude[a]!;
          if (x >= 0) beta[G + x]! -= arcP[a]! * v[G + arcTo[a]!]!;
        }
      }
      // occupancy gamma_t = alpha_t beta_t / z, accumulated per class (negative betas are rounding)
      const row = t * S;
      const rowL = row + G;
      occ.fill(0);
      let ob = 0;
      for (let q = 0; q < G; q++) ob += alpha[row + q]! * beta[q]!;
      let z = ob;
      for (let k = 0; k < K; k++) {
        let b = beta[G + k]!;
        if (b < 0) beta[G + k] = b = 0;
        const p = alpha[rowL + k]! * b;
        occ[lsCls[k]!]! += p;
        z += p;
      }
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
        for (let k = 0; k < K; k++) v[G + k] = beta[G + k]! * e[er + lsCls[k]!]! * invZ;
      }
    }
    return true;
  }

  /** Exact log-space forward-backward over the explicit transitions (no shared sums). */
  logSpace(occOut: Float32Array | undefined, obase: number): number {
    const { g, C, G, K, S, data, base, logNorm, L, arcStart, lsStart, lsList } = this;
    const {
      arcTo,
      arcExclude,
      arcLogProb,
      finalLogProb,
      labelStateLm: lsLm,
      labelStateClass: lsCls,
      blank,
    } = g;
    if (L === 0) return finalLogProb[g.startState]!;
    const logp = new Float64Array(L * C);
    for (let t = 0; t < L; t++) {
      let m = NEG;
      for (let c = 0; c < C; c++) if (data[base + t * C + c]! > m) m = data[base + t * C + c]!;
      for (let c = 0; c < C; c++) logp[t * C + c] = data[base + t * C + c]! - m - logNorm[t]!;
    }
    const la = new Float64Array(L * S).fill(NEG);
    const prev0 = new Float64Array(S).fill(NEG);
    prev0[g.startState] = 0;
    for (let t = 0; t < L; t++) {
      const row = t * S;
      const prev = t === 0 ? prev0 : la.subarray(row - S, row);
      const lp = t * C;
      for (let q = 0; q < G; q++) {
        // B(q) <- B(q) and every L(q, l), by blank
        let s = prev[q]!;
        for (let i = lsStart[q]!; i < lsStart[q + 1]!; i++) s = logAddExp(s, prev[G + lsList[i]!]!);
        la[row + q] = s + logp[lp + blank]!;
      }
      for (let k = 0; k < K; k++) la[row + G + k] = prev[G + k]!; // repeat
      for (let q = 0; q < G; q++) {
        for (let a = arcStart[q]!; a < arcStart[q + 1]!; a++) {
          let s = prev[q]!;
          for (let i = lsStart[q]!; i < lsStart[q + 1]!; i++) {
            const k = lsList[i]!;
            if (k !== arcExclude[a]) s = logAddExp(s, prev[G + k]!);
          }
          la[row + G + arcTo[a]!] = logAddExp(la[row + G + arcTo[a]!]!, s + arcLogProb[a]!);
        }
      }
      for (let k = 0; k < K; k++) la[row + G + k]! += logp[lp + lsCls[k]!]!;
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
        for (let k = 0; k < K; k++) lv[G + k] = lb[G + k]! + logp[lp + lsCls[k]!]!;
        for (let q = 0; q < G; q++) {
          let s = lv[q]!;
          for (let a = arcStart[q]!; a < arcStart[q + 1]!; a++)
            s = logAddExp(s, arcLogProb[a]! + lv[G + arcTo[a]!]!);
          nb[q] = s;
        }
        for (let k = 0; k < K; k++) {
          const q = lsLm[k]!;
          let s = logAddExp(lv[q]!, lv[G + k]!);
          for (let a = arcStart[q]!; a < arcStart[q + 1]!; a++) {
            if (arcExclude[a] !== k) s = logAddExp(s, arcLogProb[a]! + lv[G + arcTo[a]!]!);
          }
          nb[G + k] = s;
        }
        [lb, nb] = [nb, lb];
      }
      const row = t * S;
      const go = obase + t * C;
      for (let c = 0; c < C; c++) occOut[go + c] = 0;
      for (let q = 0; q < G; q++) occOut[go + blank]! += Math.exp(la[row + q]! + lb[q]! - logZ);
      for (let k = 0; k < K; k++) occOut[go + lsCls[k]!]! += Math.exp(la[row + G + k]! + lb[G + k]! - logZ);
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
