// CTC-CRF loss (An, Xiang, Ou, "CAT: CRF-based ASR toolkit" / ICASSP 2019; thu-spmi/CAT
// src/ctc_crf): a CRF over CTC paths whose potentials are the log-softmax outputs plus a phone LM.
//   numerator   = log sum over the CTC alignments of the reference of exp(sum_t log p_t) + log P_LM(l)
//   denominator = log sum over all paths of the denominator graph (CTC topology o phone LM)
//   loss        = -(numerator - denominator) + lambda * CTC
// d loss / d logits = occupancy_den - softmax + (1 + lambda) * (softmax - occupancy_num): the two
// log-softmax normalisers cancel because both occupancies sum to one per frame.
import { customGrad, type GradSaveFunc, op, scalar, type Tensor, tensor } from '@tensorflow/tfjs-core';
import type { CtcBatch } from './ctc-forward-backward';
import {
  CtcInputError,
  type CtcTargets,
  checkScoresTensor,
  checkTargetsAndLengths,
  readCheckedScores,
} from './ctc-inputs';
import { crfForwardBackwardParallel } from './ctc-worker-pool';
import type { DenominatorGraph } from './denominator-graph';
import { tapeIsRecording } from './tape-is-recording';

/**
 * How {@link ctcCrfLoss} reduces per-utterance losses: as {@link ctcLoss} (`'mean'` divides by the
 * target length, then averages), or `'batchMean'`, the sum divided by the batch size (CAT's
 * `size_average`).
 */
export type CtcCrfReduction = 'mean' | 'sum' | 'none' | 'batchMean';

/** Options of {@link ctcCrfLoss}. */
export interface CtcCrfLossOptions {
  /** The CTC x phone-LM graph from {@link buildDenominatorGraph}. */
  readonly denominator: DenominatorGraph;
  /** Weight of the CTC loss added to the CRF loss (default 0.01, the paper's WSJ value). */
  readonly lambda?: number;
  /** Blank index; must match the graph's (default: the graph's). */
  readonly blank?: number;
  /** Default `'mean'`. */
  readonly reduction?: CtcCrfReduction;
  /** Replace the infinite loss (and NaN gradient) of an utterance that has no path by 0. */
  readonly zeroInfinity?: boolean;
}

/** Per-utterance parts of the CTC-CRF loss, natural logs. */
export interface CtcCrfParts {
  /** CTC negative log-likelihood `-log p_ctc(l | x)`. */
  readonly ctc: Float64Array;
  /** LM log-weight of each reference, `<s>` to `</s>`. */
  readonly lm: Float64Array;
  /** Denominator log-score. */
  readonly den: Float64Array;
  /** `ctc - lm + den + lambda * ctc` per utterance (Infinity when the reference has no path). */
  readonly loss: Float64Array;
  /** d loss_b / d logits `[batch, time, classes]`, if asked. */
  readonly grad?: Float32Array;
}

const FN = 'ctcCrfLoss';

function validate(
  x: Tensor,
  targets: CtcTargets,
  inputLengths: ArrayLike<number>,
  options: CtcCrfLossOptions,
): { B: number; T: number; C: number; blank: number; lambda: number; reduction: CtcCrfReduction } {
  const shape = checkScoresTensor(FN, 'logits', x);
  const [B, T, C] = shape;
  const graph = options?.denominator;
  if (
    graph == null ||
    typeof graph.sequenceLogProb !== 'function' ||
    !(graph.arcFrom instanceof Int32Array)
  ) {
    throw new CtcInputError(`${FN}: options.denominator must be a graph from buildDenominatorGraph`);
  }
  if (graph.numClasses !== C) {
    throw new CtcInputError(
      `${FN}: options.denominator was built for ${graph.numClasses} classes but logits have ${C}`,
    );
  }
  const blank = options.blank ?? graph.blank;
  if (blank !== graph.blank) {
    throw new CtcInputError(
      `${FN}: options.blank is ${blank} but the denominator graph's blank is ${graph.blank}`,
    );
  }
  const lambda = options.lambda ?? 0.01;
  if (!Number.isFinite(lambda) || lambda < 0) {
    throw new CtcInputError(`${FN}: options.lambda must be a finite number >= 0, got ${lambda}`);
  }
  const reduction = options.reduction ?? 'mean';
  if (!['mean', 'sum', 'none', 'batchMean'].includes(reduction)) {
    throw new CtcInputError(
      `${FN}: options.reduction must be 'mean', 'sum', 'none' or 'batchMean', got ${String(reduction)}`,
    );
  }
  checkTargetsAndLengths(FN, shape, targets, inputLengths, blank);
  return { B, T, C, blank, lambda, reduction };
}

/**
 * The per-utterance CTC-CRF losses and gradient on typed arrays (the kernel under
 * {@link ctcCrfLoss}); `data` is row-major `[batch, time, classes]` logits, already validated.
 */
export function ctcCrfForwardBackward(
  data: Float32Array | Float64Array,
  shape: readonly [number, number, number],
  targets: CtcTargets,
  inputLengths: ArrayLike<number>,
  graph: DenominatorGraph,
  lambda: number,
  wantGrad: boolean,
): CtcCrfParts {
  const [B, T, C] = shape;
  const batch: CtcBatch = {
    data,
    batch: B,
    time: T,
    classes: C,
    targets,
    inputLengths,
    blank: graph.blank,
    scores: 'logits',
  };
  const r = crfForwardBackwardParallel(batch, graph, lambda, { grad: wantGrad });
  const lm = new Float64Array(B);
  const loss = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    lm[b] = graph.sequenceLogProb(targets[b]!);
    const ctc = r.losses[b]!;
    loss[b] =
      ctc === Number.POSITIVE_INFINITY || lm[b] === Number.NEGATIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : (1 + lambda) * ctc - lm[b]! + r.den[b]!;
  }
  if (!r.grad) return { ctc: r.losses, lm, den: r.den, loss };
  const grad = r.grad;
  for (let b = 0; b < B; b++) {
    if (loss[b] === Number.POSITIVE_INFINITY)
      grad.fill(Number.NaN, b * T * C, (b * T + inputLengths[b]!) * C);
  }
  return { ctc: r.losses, lm, den: r.den, loss, grad };
}

/**
 * CTC-CRF loss of unnormalised `[batch, time, classes]` logits: the CRF negative log-likelihood
 * over the denominator graph plus `lambda` times the CTC loss, with its exact gradient.
 *
 * ```ts
 * const lm = estimatePhoneLm(trainLabels, { order: 4 });
 * const denominator = buildDenominatorGraph(lm, { numClasses: 72 });
 * const loss = ctcCrfLoss(logits, targets, inputLengths, { denominator, lambda: 0.01 });
 * ```
 *
 * @param logits `[batch, time, classes]` float32 scores; the potentials are their log-softmax.
 * @param targets one label sequence per utterance, no blanks.
 * @param inputLengths frames per utterance (each `<= time`); later frames are padding.
 */
function ctcCrfLoss_(
  logits: Tensor,
  targets: CtcTargets,
  inputLengths: ArrayLike<number>,
  options: CtcCrfLossOptions,
): Tensor {
  const { B, T, C, lambda, reduction } = validate(logits, targets, inputLengths, options);
  const graph = options.denominator;
  const zeroInfinity = options.zeroInfinity ?? false;
  const data = readCheckedScores(FN, 'logits', logits, inputLengths, {
    allowNegativeInfinity: false,
    logits: true,
  });
  const f = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const input = args[0] as Tensor;
    let parts = ctcCrfForwardBackward(
      data,
      [B, T, C],
      targets,
      inputLengths,
      graph,
      lambda,
      tapeIsRecording(),
    );
    const losses = Float64Array.from(parts.loss);
    const infinite = losses.map((l) => (l === Number.POSITIVE_INFINITY ? 1 : 0));
    if (zeroInfinity) for (let b = 0; b < B; b++) if (infinite[b]) losses[b] = 0;
    const weightOf = (b: number): number => {
      if (reduction === 'mean') return 1 / (B * Math.max(1, targets[b]!.length));
      if (reduction === 'batchMean') return 1 / B;
      return 1;
    };
    let value: Tensor;
    if (reduction === 'none') {
      value = tensor(Float32Array.from(losses), [B], 'float32');
    } else {
      let total = 0;
      for (let b = 0; b < B; b++) total += losses[b]! * weightOf(b);
      value = scalar(total, 'float32');
    }
    const gradFunc = (dy: Tensor): Tensor => {
      if (!parts.grad)
        parts = ctcCrfForwardBackward(data, [B, T, C], targets, inputLengths, graph, lambda, true);
      const g = parts.grad!;
      const dys = dy.dataSync();
      const per = T * C;
      const out = new Float32Array(g.length);
      for (let b = 0; b < B; b++) {
        if (zeroInfinity && infinite[b]) continue;
        const w = reduction === 'none' ? dys[b]! : dys[0]! * weightOf(b);
        const o = b * per;
        for (let i = o; i < o + per; i++) out[i] = g[i]! * w;
      }
      return tensor(out, input.shape, 'float32');
    };
    return { value, gradFunc };
  });
  return f(logits);
}

/** CTC-CRF loss (CRF NLL over a CTC x phone-LM graph plus lambda times CTC) with its exact gradient. */
export const ctcCrfLoss = op({ ctcCrfLoss_ });
