import { customGrad, type GradSaveFunc, op, scalar, type Tensor, tensor } from '@tensorflow/tfjs-core';
import type { CtcBatch, CtcResult, CtcScores } from './ctc-forward-backward';
import {
  CtcInputError,
  type CtcTargets,
  checkScoresTensor,
  checkTargetsAndLengths,
  readCheckedScores,
} from './ctc-inputs';
import { ctcForwardBackwardParallel } from './ctc-worker-pool';
import { tapeIsRecording } from './tape-is-recording';

export { CtcInputError, type CtcTargets } from './ctc-inputs';

/** How {@link ctcLoss} reduces the per-utterance losses (PyTorch's `reduction`). */
export type CtcReduction = 'mean' | 'sum' | 'none';

/** Options of {@link ctcLoss} and {@link ctcLossFromLogProbs}. */
export interface CtcLossOptions {
  /** Index of the blank class (default 0). */
  readonly blank?: number;
  /**
   * `'mean'` (default) divides each loss by its target length (at least 1) and averages over the
   * batch; `'sum'` adds the losses; `'none'` returns one loss per utterance.
   */
  readonly reduction?: CtcReduction;
  /** Replace the infinite loss of an utterance with no alignment (and its gradient) by 0. */
  readonly zeroInfinity?: boolean;
}

/**
 * Checks the arguments of a CTC op and reads the scores; throws {@link CtcInputError} naming the
 * argument, the utterance and what was expected.
 */
function prepareBatch(
  fn: string,
  scoresName: string,
  x: Tensor,
  targets: CtcTargets,
  inputLengths: ArrayLike<number>,
  options: CtcLossOptions,
  scores: CtcScores,
): CtcBatch {
  const shape = checkScoresTensor(fn, scoresName, x);
  const [batch, time, classes] = shape;
  const blank = options.blank ?? 0;
  if (!Number.isInteger(blank) || blank < 0 || blank >= classes) {
    throw new CtcInputError(`${fn}: options.blank must be an integer in [0, ${classes}), got ${blank}`);
  }
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new CtcInputError(
      `${fn}: options.reduction must be 'mean', 'sum' or 'none', got ${String(reduction)}`,
    );
  }
  checkTargetsAndLengths(fn, shape, targets, inputLengths, blank);
  const data = readCheckedScores(fn, scoresName, x, inputLengths, {
    allowNegativeInfinity: true,
    logits: scores === 'logits',
  });
  return { data, batch, time, classes, targets, inputLengths, blank, scores };
}

function ctcOp(
  fn: string,
  scoresName: string,
  scores: CtcScores,
  x: Tensor,
  targets: CtcTargets,
  inputLengths: ArrayLike<number>,
  options: CtcLossOptions,
): Tensor {
  const batch = prepareBatch(fn, scoresName, x, targets, inputLengths, options, scores);
  const reduction = options.reduction ?? 'mean';
  const zeroInfinity = options.zeroInfinity ?? false;
  const B = batch.batch;
  const f = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const input = args[0] as Tensor;
    let result: CtcResult = ctcForwardBackwardParallel(batch, { grad: tapeIsRecording() });
    const losses = Float64Array.from(result.losses);
    if (zeroInfinity) for (let b = 0; b < B; b++) if (losses[b] === Number.POSITIVE_INFINITY) losses[b] = 0;
    let value: Tensor;
    if (reduction === 'none') {
      value = tensor(Float32Array.from(losses), [B], 'float32');
    } else {
      let total = 0;
      for (let b = 0; b < B; b++) {
        total += reduction === 'mean' ? losses[b]! / Math.max(1, batch.targets[b]!.length) : losses[b]!;
      }
      value = scalar(reduction === 'mean' && B > 0 ? total / B : total, 'float32');
    }
    const gradFunc = (dy: Tensor): Tensor => {
      // The kernel's gradient buffer is scaled in place and handed to the tensor, so it is used once.
      const g = result.grad ?? ctcForwardBackwardParallel(batch, { grad: true }).grad!;
      result = { ...result, grad: undefined };
      const dys = dy.dataSync();
      const per = batch.time * batch.classes;
      for (let b = 0; b < B; b++) {
        const o = b * per;
        // zeroInfinity zeroes an infeasible utterance's gradient; otherwise it stays NaN (PyTorch).
        if (zeroInfinity && result.losses[b] === Number.POSITIVE_INFINITY) {
          g.fill(0, o, o + per);
          continue;
        }
        let w: number;
        if (reduction === 'none') w = dys[b]!;
        else if (reduction === 'sum') w = dys[0]!;
        else w = dys[0]! / (B * Math.max(1, batch.targets[b]!.length));
        if (w !== 1) for (let i = o; i < o + per; i++) g[i]! *= w;
      }
      return tensor(g, input.shape, 'float32');
    };
    return { value, gradFunc };
  });
  return f(x);
}

/**
 * CTC loss of unnormalised scores, exactly as PyTorch's `ctc_loss(logSoftmax(logits), ...)`,
 * differentiable with respect to `logits` through a closed-form gradient (softmax minus occupancy).
 *
 * ```ts
 * const logits = tf.randomNormal([2, 50, 10]) as tf.Tensor3D;
 * const loss = ctcLoss(logits, [[1, 2, 2], [3]], [50, 40]); // scalar, reduction 'mean'
 * const grad = tf.grad((x: tf.Tensor3D) => ctcLoss(x, [[1, 2, 2], [3]], [50, 40]))(logits);
 * ```
 *
 * @param logits `[batch, time, classes]` float32 scores.
 * @param targets one label sequence per utterance, no blanks.
 * @param inputLengths frames per utterance (each `<= time`); later frames are padding.
 */
function ctcLoss_(
  logits: Tensor,
  targets: CtcTargets,
  inputLengths: ArrayLike<number>,
  options: CtcLossOptions = {},
): Tensor {
  return ctcOp('ctcLoss', 'logits', 'logits', logits, targets, inputLengths, options);
}

/**
 * CTC loss of log-probabilities (for callers that already applied a log-softmax), as PyTorch's
 * `ctc_loss`; its gradient is the exact derivative, minus the occupancy.
 *
 * @param logProbs `[batch, time, classes]` float32 log-probabilities.
 */
function ctcLossFromLogProbs_(
  logProbs: Tensor,
  targets: CtcTargets,
  inputLengths: ArrayLike<number>,
  options: CtcLossOptions = {},
): Tensor {
  return ctcOp('ctcLossFromLogProbs', 'logProbs', 'logProbs', logProbs, targets, inputLengths, options);
}

/** CTC loss of unnormalised `[batch, time, classes]` logits with an exact closed-form gradient. */
export const ctcLoss = op({ ctcLoss_ });

/** CTC loss of `[batch, time, classes]` log-probabilities with an exact closed-form gradient. */
export const ctcLossFromLogProbs = op({ ctcLossFromLogProbs_ });
