import { type Tensor, Tensor as TensorClass } from '@tensorflow/tfjs-core';

/** One label sequence per utterance, without blanks. */
export type CtcTargets = ReadonlyArray<ReadonlyArray<number> | Int32Array>;

/** Thrown for malformed arguments; the message names the function, the argument and the utterance. */
export class CtcInputError extends Error {
  override name = 'CtcInputError';
}

/** Checks that `x` is a float32 Tensor3D and returns its `[batch, time, classes]` shape. */
export function checkScoresTensor(fn: string, name: string, x: Tensor): [number, number, number] {
  if (!(x instanceof TensorClass) || x.rank !== 3) {
    const shape = x instanceof TensorClass ? `a tensor of shape [${x.shape.join(', ')}]` : typeof x;
    throw new CtcInputError(`${fn}: ${name} must be a Tensor3D [batch, time, classes], got ${shape}`);
  }
  if (x.dtype !== 'float32') throw new CtcInputError(`${fn}: ${name} must be float32, got ${x.dtype}`);
  return x.shape as [number, number, number];
}

/**
 * Checks one target sequence and one length per utterance: lengths are integers in [0, time],
 * labels integers in [0, classes) other than the blank.
 */
export function checkTargetsAndLengths(
  fn: string,
  [batch, time, classes]: readonly [number, number, number],
  targets: CtcTargets,
  inputLengths: ArrayLike<number>,
  blank: number,
): void {
  if (!Array.isArray(targets) || targets.length !== batch) {
    const got = Array.isArray(targets) ? `${targets.length} sequences` : typeof targets;
    throw new CtcInputError(
      `${fn}: targets must hold one label sequence per utterance (${batch}), got ${got}`,
    );
  }
  if (inputLengths == null || inputLengths.length !== batch) {
    throw new CtcInputError(
      `${fn}: inputLengths must hold one length per utterance (${batch}), got ${inputLengths == null ? inputLengths : inputLengths.length}`,
    );
  }
  for (let b = 0; b < batch; b++) {
    const len = inputLengths[b]!;
    if (!Number.isInteger(len) || len < 0 || len > time) {
      throw new CtcInputError(
        `${fn}: inputLengths[${b}] must be an integer in [0, ${time}] (the tensor has ${time} frames), got ${len}`,
      );
    }
    const target = targets[b];
    if (!Array.isArray(target) && !(target instanceof Int32Array)) {
      throw new CtcInputError(`${fn}: targets[${b}] must be a number[] or Int32Array, got ${typeof target}`);
    }
    for (let i = 0; i < target.length; i++) {
      const label = target[i]!;
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        throw new CtcInputError(
          `${fn}: targets[${b}][${i}] must be an integer class in [0, ${classes}), got ${label}`,
        );
      }
      if (label === blank) {
        throw new CtcInputError(
          `${fn}: targets[${b}][${i}] is ${label}, the blank index; targets must not contain blanks`,
        );
      }
    }
  }
}

/**
 * Reads the scores and checks the frames inside each utterance's length (padding is ignored, as
 * PyTorch ignores it): no NaN or +Infinity; -Infinity only where `allowNegativeInfinity` (log-probs
 * of impossible classes), and never a whole frame of it when `logits`.
 */
export function readCheckedScores(
  fn: string,
  name: string,
  x: Tensor,
  inputLengths: ArrayLike<number>,
  o: { allowNegativeInfinity: boolean; logits: boolean },
): Float32Array {
  const [batch, time, classes] = x.shape as [number, number, number];
  const data = x.dataSync() as Float32Array;
  const expected = o.allowNegativeInfinity ? 'finite scores (or -Infinity)' : 'finite scores';
  for (let b = 0; b < batch; b++) {
    const len = inputLengths[b]!;
    const base = b * time * classes;
    for (let t = 0; t < len; t++) {
      let finite = false;
      for (let c = 0; c < classes; c++) {
        const v = data[base + t * classes + c]!;
        if (
          Number.isNaN(v) ||
          v === Number.POSITIVE_INFINITY ||
          (v === Number.NEGATIVE_INFINITY && !o.allowNegativeInfinity)
        ) {
          throw new CtcInputError(
            `${fn}: ${name} of utterance ${b} hold ${v} at frame ${t}, class ${c}; expected ${expected}`,
          );
        }
        if (v !== Number.NEGATIVE_INFINITY) finite = true;
      }
      if (!finite && o.logits) {
        throw new CtcInputError(`${fn}: ${name} of utterance ${b} are all -Infinity at frame ${t}`);
      }
    }
  }
  return data;
}
