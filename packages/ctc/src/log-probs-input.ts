import { Tensor } from '@tensorflow/tfjs-core';

/** Log-probabilities `[batch, time, classes]`: a `Tensor3D` or a row-major typed array with its shape. */
export type LogProbsInput =
  | Tensor
  | { readonly data: Float32Array | Float64Array; readonly shape: readonly [number, number, number] };

/** Scores read into a row-major typed array. */
export interface ScoreArray {
  readonly data: Float32Array | Float64Array;
  readonly batch: number;
  readonly time: number;
  readonly classes: number;
}

/** Reads and checks decoder input; errors name `fn` and the offending argument or utterance. */
export function readLogProbs(
  fn: string,
  logProbs: LogProbsInput,
  inputLengths: ArrayLike<number>,
): ScoreArray {
  let data: Float32Array | Float64Array;
  let shape: readonly number[];
  if (logProbs instanceof Tensor) {
    if (logProbs.rank !== 3) {
      throw new Error(
        `${fn}: logProbs must be a Tensor3D [batch, time, classes], got shape [${logProbs.shape.join(', ')}]`,
      );
    }
    shape = logProbs.shape;
    data = logProbs.dataSync() as Float32Array;
  } else if (
    logProbs != null &&
    (logProbs.data instanceof Float32Array || logProbs.data instanceof Float64Array) &&
    Array.isArray(logProbs.shape) &&
    logProbs.shape.length === 3
  ) {
    shape = logProbs.shape;
    data = logProbs.data;
    if (
      shape.some((d) => !Number.isInteger(d) || d < 0) ||
      data.length !== shape[0]! * shape[1]! * shape[2]!
    ) {
      throw new Error(
        `${fn}: logProbs.data has ${data.length} values, expected the product of shape [${shape.join(', ')}]`,
      );
    }
  } else {
    throw new Error(
      `${fn}: logProbs must be a Tensor3D or { data: Float32Array | Float64Array, shape: [batch, time, classes] }`,
    );
  }
  const [batch, time, classes] = shape as [number, number, number];
  if (inputLengths == null || inputLengths.length !== batch) {
    throw new Error(
      `${fn}: inputLengths must hold one length per utterance (${batch}), got ${inputLengths?.length}`,
    );
  }
  for (let b = 0; b < batch; b++) {
    const len = inputLengths[b]!;
    if (!Number.isInteger(len) || len < 0 || len > time) {
      throw new Error(`${fn}: inputLengths[${b}] must be an integer in [0, ${time}], got ${len}`);
    }
    const base = b * time * classes;
    for (let i = base; i < base + len * classes; i++) {
      if (Number.isNaN(data[i]!)) {
        const t = Math.floor((i - base) / classes);
        throw new Error(
          `${fn}: logProbs of utterance ${b} hold NaN at frame ${t}, class ${(i - base) % classes}`,
        );
      }
    }
  }
  return { data, batch, time, classes };
}

/** Checks a blank index against the class count. */
export function checkBlank(fn: string, blank: number, classes: number): void {
  if (!Number.isInteger(blank) || blank < 0 || blank >= classes) {
    throw new Error(`${fn}: options.blank must be an integer in [0, ${classes}), got ${blank}`);
  }
}
