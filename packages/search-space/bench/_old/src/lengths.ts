/**
 * How output lengths follow a strided op. `reference` is thu-spmi/ST-NAS (Edge.py `TDNN.forward`
 * returns `lens * T_out / T_in`, truncated to int32 before the loss in NASTop.py); `conv` is the
 * length the convolution gives an utterance on its own, `ceil(len / stride)`, which never depends on
 * how far the batch is padded.
 */
export type LengthRule = 'reference' | 'conv';

/** Frames out of a length-preserving-padded op with this stride: `floor((T - 1) / s) + 1`. */
export function stridedFrames(frames: number, stride: number): number {
  return frames === 0 ? 0 : Math.floor((frames - 1) / stride) + 1;
}

/** Output lengths of a stride-`stride` op applied to a batch padded to `frames` frames. */
export function stridedLengths(
  lengths: readonly number[],
  frames: number,
  stride: number,
  rule: LengthRule = 'reference',
): number[] {
  if (stride === 1) return [...lengths];
  const out = stridedFrames(frames, stride);
  return lengths.map((len) =>
    rule === 'reference' ? Math.floor((len * out) / frames) : Math.ceil(len / stride),
  );
}

/** Throws unless `lengths` are integers in [0, frames] and one per batch row. */
export function checkLengths(lengths: readonly number[], batch: number, frames: number, where: string): void {
  if (!Array.isArray(lengths) || lengths.length !== batch) {
    throw new Error(`${where}: expected ${batch} lengths (one per batch row), got ${lengths?.length}`);
  }
  lengths.forEach((len, i) => {
    if (!Number.isInteger(len) || len < 0 || len > frames) {
      throw new Error(`${where}: lengths[${i}] = ${len}; expected an integer in [0, ${frames}]`);
    }
  });
}
