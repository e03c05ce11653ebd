// The CTC forward-backward recursion on typed arrays (Graves et al., ICML 2006, section 4.1).
//
// The fast path runs in the probability domain with float64 rows rescaled at every frame (Rabiner's
// scaling), so a cell costs a few multiply-adds instead of a log-sum-exp. The backward variable
// excludes the emission of its own frame, so the occupancy is alpha * beta normalised per frame and
// no division by a probability is needed. An utterance whose probabilities underflow float64 (a
// frame where every live state has probability < 1e-290) is redone in log space, which is exact for
// any finite scores.

/** What the scores in a batch are: unnormalised logits or log-probabilities. */
export type CtcScores = 'logits' | 'logProbs';

/** A validated batch for {@link ctcForwardBackward}; all arrays are row-major `[batch, time, classes]`. */
export interface CtcBatch {
  /** Scores `[batch, time, classes]`. */
  readonly data: Float32Array | Float64Array;
  readonly batch: number;
  readonly time: number;
  readonly classes: number;
  /** One label sequence per utterance (no blanks, each label in `[0, classes)`). */
  readonly targets: ReadonlyArray<ArrayLike<number>>;
  /** Frames per utterance, each in `[0, time]`. */
  readonly inputLengths: ArrayLike<number>;
  readonly blank: number;
  /** `'logits'` applies a log-softmax over classes first; `'logProbs'` uses the scores as given. */
  readonly scores: CtcScores;
}

/** Per-utterance negative log-likelihoods and, if asked, their gradients. */
export interface CtcResult {
  /** `-log p(target | scores)` per utterance in float64; `Infinity` when no alignment exists. */
  readonly losses: Float64Array;
  /**
   * d loss_b / d data, `[batch, time, classes]`: softmax minus occupancy for logits, minus the
   * occupancy for log-probs; 0 on padding frames and NaN on the frames of an infeasible utterance
   * (as PyTorch). Absent unless `grad` was requested.
   */
  readonly grad?: Float32Array;
  /** How many utterances fell back to the log-space recursion. */
  readonly logSpaceFallbacks: number;
}

/** Options of {@link ctcForwardBackward}. */
export interface CtcKernelOptions {
  /** Compute the gradient too (default true). */
  readonly grad?: boolean;
  /** `'auto'` (scaled, log space on underflow) or `'log'` (always log space; for tests). */
  readonly method?: 'auto' | 'log';
}

const TINY = 1e-290;

/** Frames a target needs: one per label plus one blank between equal neighbours. */
export function minFramesFor(target: ArrayLike<number>): number {
  let need = target.length;
  for (let i = 1; i < target.length; i++) if (target[i] === target[i - 1]) need++;
  return need;
}

/** Runs the CTC forward-backward over every utterance of `batch` (inputs must be validated). */
export function ctcForwardBackward(batch: CtcBatch, options: CtcKernelOptions = {}): CtcResult {
  const { batch: B, time: T, classes: C } = batch;
  const wantGrad = options.grad ?? true;
  const losses = new Float64Array(B);
  const grad = wantGrad ? new Float32Array(B * T * C) : undefined;
  const ws = new CtcWorkspace(T, C, maxExtendedStates(batch.targets));
  const logOnly = options.method === 'log';
  let fallbacks = 0;
  for (let b = 0; b < B; b++) {
    losses[b] = ctcUtterance(batch, b, ws, grad, logOnly);
    if (ws.fellBack) fallbacks++;
  }
  return grad ? { losses, grad, logSpaceFallbacks: fallbacks } : { losses, logSpaceFallbacks: fallbacks };
}

/** Length of the longest extended label sequence (2 * labels + 1) over a batch's targets. */
export function maxExtendedStates(targets: ReadonlyArray<ArrayLike<number>>): number {
  let maxS = 1;
  for (const target of targets) maxS = Math.max(maxS, 2 * target.length + 1);
  return maxS;
}

/**
 * Forward-backward of utterance `b` alone: returns its loss and writes its gradient rows into
 * `grad` (if given); `ws.fellBack` tells whether it needed the log-space recursion. The result
 * depends only on the utterance, so any split of a batch over threads gives identical bits.
 */
export function ctcUtterance(
  batch: CtcBatch,
  b: number,
  ws: CtcWorkspace,
  grad: Float32Array | undefined,
  logOnly: boolean,
): number {
  const { time: T, classes: C } = batch;
  const L = batch.inputLengths[b]!;
  const target = batch.targets[b]!;
  const base = b * T * C;
  ws.fellBack = false;
  if (L < minFramesFor(target)) {
    grad?.fill(Number.NaN, base, base + L * C);
    return Number.POSITIVE_INFINITY;
  }
  if (L === 0) return 0; // empty target, no frames: probability 1
  ws.setUtterance(batch, b, L, target);
  let loss = logOnly ? Number.NaN : ws.scaled(grad, base);
  if (Number.isNaN(loss)) {
    ws.fellBack = true;
    loss = ws.logSpace(grad, base);
  }
  return loss;
}

/** Scratch buffers reused across the utterances of one batch (one per thread). */
export class CtcWorkspace {
  /** Whether the last utterance run by {@link ctcUtterance} needed the log-space recursion. */
  fellBack = false;
  private readonly C: number;
  // e[t, c] = exp(score - max_t): probabilities up to a per-frame factor exp(-logNorm[t]).
  private readonly e: Float64Array;
  private readonly logNorm: Float64Array; // [T] log of that factor
  private readonly lse: Float64Array; // [T] what to subtract from a score to get a log-probability
  private readonly logp: Float64Array; // [T, C] log-probabilities, built only by the fallback
  private readonly alpha: Float64Array; // [T, S], rows rescaled to sum 1
  private readonly beta: Float64Array; // [S + 2] backward row of the current frame
  private readonly v: Float64Array; // [S + 2] beta of the next frame times its emissions
  private readonly occ: Float64Array; // [C] occupancy of each class at one frame
  private readonly ext: Int32Array; // class of each extended state
  private readonly skip: Uint8Array; // [S + 2] state s may be entered from s - 2
  private data: Float32Array | Float64Array = new Float64Array(0);
  private base = 0;
  private S = 1;
  private L = 0;
  private logits = true;

  constructor(T: number, C: number, maxS: number) {
    this.C = C;
    this.e = new Float64Array(T * C);
    this.logNorm = new Float64Array(T);
    this.lse = new Float64Array(T);
    this.logp = new Float64Array(0);
    this.alpha = new Float64Array(T * maxS);
    this.beta = new Float64Array(maxS + 2);
    this.v = new Float64Array(maxS + 2);
    this.occ = new Float64Array(C);
    this.ext = new Int32Array(maxS);
    this.skip = new Uint8Array(maxS + 2);
  }

  /** Loads utterance `b`: its shifted exponentials and its extended label sequence. */
  setUtterance(batch: CtcBatch, b: number, L: number, target: ArrayLike<number>): void {
    const { C, e, logNorm, lse } = this;
    const data = batch.data;
    const base = b * batch.time * C;
    this.data = data;
    this.base = base;
    this.L = L;
    this.logits = batch.scores === 'logits';
    for (let t = 0; t < L; t++) {
      const o = base + t * C;
      const r = t * C;
      let m = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < C; c++) if (data[o + c]! > m) m = data[o + c]!;
      if (m === Number.NEGATIVE_INFINITY) m = 0; // an all -Infinity frame of log-probs
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const x = Math.exp(data[o + c]! - m);
        e[r + c] = x;
        sum += x;
      }
      if (this.logits) {
        logNorm[t] = Math.log(sum);
        lse[t] = m + logNorm[t]!;
      } else {
        logNorm[t] = -m;
        lse[t] = 0;
      }
    }
    const S = 2 * target.length + 1;
    this.S = S;
    this.skip.fill(0);
    for (let s = 0; s < S; s++) {
      const isLabel = s & 1;
      this.ext[s] = isLabel ? target[s >> 1]! : batch.blank;
      this.skip[s] = isLabel && s >= 3 && target[s >> 1] !== target[(s >> 1) - 1] ? 1 : 0;
    }
  }

  /** Scaled forward-backward; returns the loss, or NaN when float64 underflows (fall back). */
  scaled(grad: Float32Array | undefined, gbase: number): number {
    const { C, e, logNorm, alpha, ext, skip, S, L } = this;
    alpha.fill(0, 0, L * S);
    alpha[0] = e[ext[0]!]!;
    if (S > 1) alpha[1] = e[ext[1]!]!;
    let sum = alpha[0]! + (S > 1 ? alpha[1]! : 0);
    if (!(sum > TINY)) return Number.NaN;
    alpha[0]! /= sum;
    if (S > 1) alpha[1]! /= sum;
    let logLik = Math.log(sum) - logNorm[0]!;
    for (let t = 1; t < L; t++) {
      const row = t * S;
      const prev = row - S;
      const lo = Math.max(0, S - 2 * (L - t));
      const hi = Math.min(S, 2 * t + 2);
      const er = t * C;
      sum = 0;
      let s = lo;
      if (s === 0) {
        const a = alpha[prev]! * e[er + ext[0]!]!;
        alpha[row] = a;
        sum += a;
        s = 1;
      }
      for (; s < hi; s++) {
        let a = alpha[prev + s]! + alpha[prev + s - 1]!;
        if (skip[s]) a += alpha[prev + s - 2]!;
        a *= e[er + ext[s]!]!;
        alpha[row + s] = a;
        sum += a;
      }
      if (!(sum > TINY)) return Number.NaN;
      const inv = 1 / sum;
      for (let k = lo; k < hi; k++) alpha[row + k]! *= inv;
      logLik += Math.log(sum) - logNorm[t]!;
    }
    const last = (L - 1) * S;
    sum = alpha[last + S - 1]! + (S > 1 ? alpha[last + S - 2]! : 0);
    if (!(sum > TINY)) return Number.NaN;
    logLik += Math.log(sum);
    if (grad && !this.scaledBackward(grad, gbase)) return Number.NaN;
    return -logLik;
  }

  /** Backward pass writing d loss / d scores; false on underflow. */
  private scaledBackward(grad: Float32Array, gbase: number): boolean {
    const { C, e, logNorm, alpha, beta, v, occ, ext, skip, S, L, logits } = this;
    v.fill(0);
    for (let t = L - 1; t >= 0; t--) {
      const lo = Math.max(0, S - 2 * (L - t));
      const hi = Math.min(S, 2 * t + 2);
      if (t === L - 1) {
        beta[S - 1] = 1;
        if (S > 1) beta[S - 2] = 1;
      } else {
        // beta_t(s) = sum over the successors s' of beta_{t+1}(s') y_{t+1}(s'); v holds those
        // products and is zero outside frame t+1's window (and in its two padding cells).
        for (let s = lo; s < hi; s++) beta[s] = v[s]! + v[s + 1]! + (skip[s + 2] ? v[s + 2]! : 0);
      }
      // occupancy gamma_t(s) = alpha_t(s) beta_t(s) / Z_t
      const row = t * S;
      let z = 0;
      for (let s = lo; s < hi; s++) z += alpha[row + s]! * beta[s]!;
      if (!(z > TINY)) return false;
      const invZ = 1 / z;
      occ.fill(0);
      for (let s = lo; s < hi; s++) occ[ext[s]!]! += alpha[row + s]! * beta[s]! * invZ;
      const go = gbase + t * C;
      const er = t * C;
      if (logits) {
        const norm = Math.exp(-logNorm[t]!);
        for (let c = 0; c < C; c++) grad[go + c] = e[er + c]! * norm - occ[c]!;
      } else {
        for (let c = 0; c < C; c++) grad[go + c] = -occ[c]!;
      }
      if (t > 0) {
        // v for frame t - 1, rescaled so beta stays near 1 (only ratios within a row matter).
        const invB = 1 / z;
        v.fill(0);
        for (let s = lo; s < hi; s++) v[s] = beta[s]! * e[er + ext[s]!]! * invB;
      }
    }
    return true;
  }

  /** Exact log-space forward-backward (the reference recursion); returns the loss. */
  logSpace(grad: Float32Array | undefined, gbase: number): number {
    const { C, lse, data, base, ext, skip, S, L } = this;
    // Built here only: the scaled path never needs log-probabilities.
    const logp = this.logp.length >= L * C ? this.logp : new Float64Array(L * C);
    for (let t = 0; t < L; t++) {
      for (let c = 0; c < C; c++) logp[t * C + c] = data[base + t * C + c]! - lse[t]!;
    }
    const NEG = Number.NEGATIVE_INFINITY;
    const la = new Float64Array(L * S).fill(NEG);
    la[0] = logp[ext[0]!]!;
    if (S > 1) la[1] = logp[ext[1]!]!;
    for (let t = 1; t < L; t++) {
      const row = t * S;
      const prev = row - S;
      for (let s = 0; s < S; s++) {
        let a = la[prev + s]!;
        if (s > 0) a = logAddExp(a, la[prev + s - 1]!);
        if (skip[s]) a = logAddExp(a, la[prev + s - 2]!);
        la[row + s] = a + logp[t * C + ext[s]!]!;
      }
    }
    const last = (L - 1) * S;
    const logLik = S > 1 ? logAddExp(la[last + S - 1]!, la[last + S - 2]!) : la[last]!;
    if (!grad) return -logLik;
    if (logLik === NEG) {
      grad.fill(Number.NaN, gbase, gbase + L * C);
      return Number.POSITIVE_INFINITY;
    }
    // beta excludes the emission of its own frame, as in the scaled path.
    let lb = new Float64Array(S).fill(NEG);
    let nb = new Float64Array(S);
    lb[S - 1] = 0;
    if (S > 1) lb[S - 2] = 0;
    const occ = this.occ;
    for (let t = L - 1; t >= 0; t--) {
      if (t < L - 1) {
        const pr = (t + 1) * C;
        for (let s = 0; s < S; s++) {
          let b = lb[s]! + logp[pr + ext[s]!]!;
          if (s + 1 < S) b = logAddExp(b, lb[s + 1]! + logp[pr + ext[s + 1]!]!);
          if (s + 2 < S && skip[s + 2]) b = logAddExp(b, lb[s + 2]! + logp[pr + ext[s + 2]!]!);
          nb[s] = b;
        }
        [lb, nb] = [nb, lb];
      }
      occ.fill(0);
      for (let s = 0; s < S; s++) occ[ext[s]!]! += Math.exp(la[t * S + s]! + lb[s]! - logLik);
      const go = gbase + t * C;
      for (let c = 0; c < C; c++) {
        grad[go + c] = (this.logits ? Math.exp(logp[t * C + c]!) : 0) - occ[c]!;
      }
    }
    return -logLik;
  }
}

/** log(exp(a) + exp(b)) without overflow, exact at -Infinity. */
function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}
