import type { Batch as DatasetBatch } from '@stnas/data-wsj';

/** A padded batch as the stages feed it to a model: features [B, T, D] (zero-padded), lengths and labels. */
export interface Batch {
  keys: string[];
  x: Float32Array;
  shape: [number, number, number];
  lengths: number[];
  labels: Int32Array[];
  /** Real (unpadded) frames. */
  frames: number;
}

/** A `SpeechDataset` batch in the stages' form (no copy of the features). */
export function fromDatasetBatch(b: DatasetBatch): Batch {
  const lengths = Array.from(b.lengths);
  return {
    keys: b.keys,
    x: b.features,
    shape: [b.batchSize, b.maxFrames, b.dim],
    lengths,
    labels: b.labels,
    frames: lengths.reduce((a, n) => a + n, 0),
  };
}
