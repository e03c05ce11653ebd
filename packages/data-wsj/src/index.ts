export { addDeltas, type DeltaOptions, deltaScales } from './add-deltas.ts';
export { applyCmvn, type CmvnOptions } from './apply-cmvn.ts';
export {
  type CompressedFormat,
  type CompressionMethod,
  type CompressOption,
  compress,
  decompress,
} from './compressed-matrix.ts';
export { formatG } from './format-float.ts';
export { KaldiFormatError } from './kaldi-format-error.ts';
export {
  buildUnits,
  type LabelOptions,
  type LabelResult,
  type Lexicon,
  type LexiconOptions,
  labelTranscripts,
  parseLexicon,
  parseUnits,
  readLexicon,
  readUnits,
  stripStressDigit,
  transcriptToIds,
  writeUnits,
} from './lexicon.ts';
export { type DataDir, type LoadDataDirOptions, loadDataDir } from './load-data-dir.ts';
export { type LoadScpOptions, loadScp, parseScp, type ScpEntry, type ScpTable } from './load-scp.ts';
export { sliceMatrix } from './matrix-range.ts';
export type { ParseOptions } from './parse-object.ts';
export { type ReadArkOptions, readArk } from './read-ark.ts';
export { type ReadObjectOptions, readMatrix, readObject } from './read-matrix.ts';
export { compareC, parseTable, readTable, type TableLine } from './read-table.ts';
export { type MatrixRange, PipeNotAllowedError, type PipeOptions, parseRxspec } from './rxspecifier.ts';
export { mulberry32, seededShuffle } from './seeded-random.ts';
export {
  type PaddedFeatures,
  type SpecAugmentOptions,
  type SpecAugmentResult,
  specAugment,
  type UtteranceMasks,
} from './spec-augment.ts';
export { type Batch, SpeechDataset, type SpeechDatasetOptions } from './speech-dataset.ts';
export { spliceFrames } from './splice-frames.ts';
export { type ArkEntry, isMatrix, isVector, type KaldiValue, type Matrix, type Vector } from './types.ts';
export { type WriteArkOptions, type WriteArkResult, writeArk } from './write-ark.ts';
