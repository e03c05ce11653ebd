// Pins the public signatures of @stnas/data-wsj (src/index.ts): an accidental change to a parameter,
// a return type or a field fails `vitest` (typecheck). New exports and new fields do not.

import { describe, expectTypeOf, it } from 'vitest';
import type { CompressedHeader } from './compressed-matrix';
import {
  type ArkEntry,
  addDeltas,
  applyCmvn,
  type Batch,
  buildUnits,
  type CmvnOptions,
  type CompressedFormat,
  type CompressionMethod,
  type CompressOption,
  compareC,
  compress,
  type DataDir,
  type DeltaOptions,
  decompress,
  deltaScales,
  formatG,
  isMatrix,
  isVector,
  KaldiFormatError,
  type KaldiValue,
  type LabelOptions,
  type LabelResult,
  type Lexicon,
  type LexiconOptions,
  type LoadDataDirOptions,
  type LoadScpOptions,
  labelTranscripts,
  loadDataDir,
  loadScp,
  type Matrix,
  type MatrixRange,
  mulberry32,
  type PaddedFeatures,
  type ParseOptions,
  PipeNotAllowedError,
  type PipeOptions,
  parseLexicon,
  parseRxspec,
  parseScp,
  parseTable,
  parseUnits,
  type ReadArkOptions,
  type ReadObjectOptions,
  readArk,
  readLexicon,
  readMatrix,
  readObject,
  readTable,
  readUnits,
  type ScpEntry,
  type ScpTable,
  type SpecAugmentOptions,
  type SpecAugmentResult,
  type SpeechDataset,
  type SpeechDatasetOptions,
  seededShuffle,
  sliceMatrix,
  specAugment,
  spliceFrames,
  stripStressDigit,
  type TableLine,
  transcriptToIds,
  type UtteranceMasks,
  type Vector,
  type WriteArkOptions,
  type WriteArkResult,
  writeArk,
  writeUnits,
} from './index';
import type { Rxspec } from './rxspecifier';

describe('@stnas/data-wsj public API', () => {
  it('addDeltas', () => {
    expectTypeOf(addDeltas).toEqualTypeOf<(feats: Matrix, opts?: DeltaOptions) => Matrix>();
  });
  it('DeltaOptions', () => {
    expectTypeOf<DeltaOptions['order']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DeltaOptions['window']>().toEqualTypeOf<number | undefined>();
  });
  it('deltaScales', () => {
    expectTypeOf(deltaScales).toEqualTypeOf<
      (order: number, window: number) => Float32Array<ArrayBufferLike>[]
    >();
  });
  it('applyCmvn', () => {
    expectTypeOf(applyCmvn).toEqualTypeOf<(feats: Matrix, stats: Matrix, opts?: CmvnOptions) => Matrix>();
  });
  it('CmvnOptions', () => {
    expectTypeOf<CmvnOptions['normVars']>().toEqualTypeOf<boolean | undefined>();
  });
  it('CompressedFormat', () => {
    expectTypeOf<CompressedFormat>().toEqualTypeOf<'CM' | 'CM2' | 'CM3'>();
  });
  it('CompressionMethod', () => {
    expectTypeOf<CompressionMethod>().toEqualTypeOf<1 | 2 | 3 | 4 | 5 | 6 | 7>();
  });
  it('CompressOption', () => {
    expectTypeOf<CompressOption>().toEqualTypeOf<'CM' | 'CM2' | 'CM3' | CompressionMethod | 'auto'>();
  });
  it('compress', () => {
    expectTypeOf(compress).toEqualTypeOf<
      (
        m: Matrix,
        method: CompressionMethod,
      ) => { format: CompressedFormat; bytes: Uint8Array<ArrayBufferLike> }
    >();
  });
  it('decompress', () => {
    expectTypeOf(decompress).toEqualTypeOf<
      (h: CompressedHeader, payload: Uint8Array<ArrayBufferLike>) => Matrix
    >();
  });
  it('formatG', () => {
    expectTypeOf(formatG).toEqualTypeOf<(x: number, precision?: number) => string>();
  });
  it('KaldiFormatError', () => {
    expectTypeOf(KaldiFormatError).constructorParameters.toEqualTypeOf<
      [file: string, offset: number | undefined, expected: string, found?: string | undefined]
    >();
    expectTypeOf<KaldiFormatError['name']>().toEqualTypeOf<string>();
    expectTypeOf<KaldiFormatError['file']>().toEqualTypeOf<string>();
    expectTypeOf<KaldiFormatError['offset']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<KaldiFormatError['expected']>().toEqualTypeOf<string>();
  });
  it('buildUnits', () => {
    expectTypeOf(buildUnits).toEqualTypeOf<
      (lexicon: Lexicon, opts?: { blank?: string | undefined }) => string[]
    >();
  });
  it('LabelOptions', () => {
    expectTypeOf<LabelOptions['unk']>().toEqualTypeOf<string | null | undefined>();
  });
  it('LabelResult', () => {
    expectTypeOf<LabelResult['ids']>().toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf<LabelResult['oov']>().toEqualTypeOf<string[]>();
  });
  it('Lexicon', () => {
    expectTypeOf<Lexicon>().toEqualTypeOf<Map<string, string[][]>>();
  });
  it('LexiconOptions', () => {
    expectTypeOf<LexiconOptions['stripStress']>().toEqualTypeOf<boolean | undefined>();
  });
  it('labelTranscripts', () => {
    expectTypeOf(labelTranscripts).toEqualTypeOf<
      (
        text: Map<string, string[]>,
        lexicon: Lexicon,
        units: string[],
        opts?: LabelOptions,
      ) => { labels: Map<string, Int32Array<ArrayBufferLike>>; oov: Map<string, number> }
    >();
  });
  it('parseLexicon', () => {
    expectTypeOf(parseLexicon).toEqualTypeOf<
      (text: string, file?: string, opts?: LexiconOptions) => Lexicon
    >();
  });
  it('parseUnits', () => {
    expectTypeOf(parseUnits).toEqualTypeOf<(text: string, file?: string) => string[]>();
  });
  it('readLexicon', () => {
    expectTypeOf(readLexicon).toEqualTypeOf<(file: string, opts?: LexiconOptions) => Promise<Lexicon>>();
  });
  it('readUnits', () => {
    expectTypeOf(readUnits).toEqualTypeOf<(file: string) => Promise<string[]>>();
  });
  it('stripStressDigit', () => {
    expectTypeOf(stripStressDigit).toEqualTypeOf<(phone: string) => string>();
  });
  it('transcriptToIds', () => {
    expectTypeOf(transcriptToIds).toEqualTypeOf<
      (words: string[], lexicon: Lexicon, units: string[], opts?: LabelOptions) => LabelResult
    >();
  });
  it('writeUnits', () => {
    expectTypeOf(writeUnits).toEqualTypeOf<(file: string, units: string[]) => Promise<void>>();
  });
  it('DataDir', () => {
    expectTypeOf<DataDir['dir']>().toEqualTypeOf<string>();
    expectTypeOf<DataDir['utts']>().toEqualTypeOf<string[]>();
    expectTypeOf<DataDir['speakers']>().toEqualTypeOf<string[]>();
    expectTypeOf<DataDir['utt2spk']>().toEqualTypeOf<Map<string, string>>();
    expectTypeOf<DataDir['spk2utt']>().toEqualTypeOf<Map<string, string[]>>();
    expectTypeOf<DataDir['text']>().toEqualTypeOf<Map<string, string[]> | undefined>();
    expectTypeOf<DataDir['feats']>().toEqualTypeOf<ScpTable>();
    expectTypeOf<DataDir['cmvn']>().toEqualTypeOf<ScpTable | undefined>();
    expectTypeOf<DataDir['cmvnPerUtt']>().toEqualTypeOf<boolean>();
    expectTypeOf<DataDir['numFrames']>().toEqualTypeOf<Map<string, number> | undefined>();
    expectTypeOf<DataDir['wav']>().toEqualTypeOf<Map<string, string> | undefined>();
    expectTypeOf<DataDir['close']>().toEqualTypeOf<() => Promise<void>>();
  });
  it('LoadDataDirOptions', () => {
    expectTypeOf<LoadDataDirOptions>().toExtend<LoadScpOptions>();
    expectTypeOf<LoadDataDirOptions['requireText']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<LoadDataDirOptions['requireCmvn']>().toEqualTypeOf<boolean | undefined>();
  });
  it('loadDataDir', () => {
    expectTypeOf(loadDataDir).toEqualTypeOf<(dir: string, opts?: LoadDataDirOptions) => Promise<DataDir>>();
  });
  it('LoadScpOptions', () => {
    expectTypeOf<LoadScpOptions>().toExtend<PipeOptions>();
    expectTypeOf<LoadScpOptions>().toExtend<ParseOptions>();
    expectTypeOf<LoadScpOptions['maxOpenFiles']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LoadScpOptions['baseDir']>().toEqualTypeOf<string | undefined>();
  });
  it('loadScp', () => {
    expectTypeOf(loadScp).toEqualTypeOf<(scpPath: string, opts?: LoadScpOptions) => Promise<ScpTable>>();
  });
  it('parseScp', () => {
    expectTypeOf(parseScp).toEqualTypeOf<(text: string, file: string) => ScpEntry[]>();
  });
  it('ScpEntry', () => {
    expectTypeOf<ScpEntry['key']>().toEqualTypeOf<string>();
    expectTypeOf<ScpEntry['rxfilename']>().toEqualTypeOf<string>();
    expectTypeOf<ScpEntry['line']>().toEqualTypeOf<number>();
  });
  it('ScpTable', () => {
    expectTypeOf<ScpTable['path']>().toEqualTypeOf<string>();
    expectTypeOf<ScpTable['keys']>().toEqualTypeOf<() => string[]>();
    expectTypeOf<ScpTable['has']>().toEqualTypeOf<(key: string) => boolean>();
    expectTypeOf<ScpTable['entry']>().toEqualTypeOf<(key: string) => ScpEntry | undefined>();
    expectTypeOf<ScpTable['get']>().toEqualTypeOf<(key: string) => Promise<KaldiValue>>();
    expectTypeOf<ScpTable['getMatrix']>().toEqualTypeOf<(key: string) => Promise<Matrix>>();
    expectTypeOf<ScpTable['numRows']>().toEqualTypeOf<(key: string) => Promise<number>>();
    expectTypeOf<ScpTable['openFiles']>().toEqualTypeOf<() => number>();
    expectTypeOf<ScpTable['close']>().toEqualTypeOf<() => Promise<void>>();
  });
  it('sliceMatrix', () => {
    expectTypeOf(sliceMatrix).toEqualTypeOf<(m: Matrix, range: MatrixRange, where: string) => Matrix>();
  });
  it('ParseOptions', () => {
    expectTypeOf<ParseOptions['textPrecision']>().toEqualTypeOf<'float32' | 'float64' | undefined>();
  });
  it('ReadArkOptions', () => {
    expectTypeOf<ReadArkOptions>().toExtend<PipeOptions>();
    expectTypeOf<ReadArkOptions>().toExtend<ParseOptions>();
    expectTypeOf<ReadArkOptions['reuse']>().toEqualTypeOf<boolean | undefined>();
  });
  it('readArk', () => {
    expectTypeOf(readArk).toEqualTypeOf<
      (path: string, opts?: ReadArkOptions) => AsyncGenerator<ArkEntry<KaldiValue>>
    >();
  });
  it('ReadObjectOptions', () => {
    expectTypeOf<ReadObjectOptions>().toExtend<PipeOptions>();
    expectTypeOf<ReadObjectOptions>().toExtend<ParseOptions>();
    expectTypeOf<ReadObjectOptions['baseDir']>().toEqualTypeOf<string | undefined>();
  });
  it('readMatrix', () => {
    expectTypeOf(readMatrix).toEqualTypeOf<
      (rxspecifier: string, opts?: ReadObjectOptions) => Promise<Matrix>
    >();
  });
  it('readObject', () => {
    expectTypeOf(readObject).toEqualTypeOf<
      (rxspecifier: string, opts?: ReadObjectOptions) => Promise<KaldiValue>
    >();
  });
  it('compareC', () => {
    expectTypeOf(compareC).toEqualTypeOf<(a: string, b: string) => number>();
  });
  it('parseTable', () => {
    expectTypeOf(parseTable).toEqualTypeOf<
      (text: string, file: string, opts?: { allowEmptyValue?: boolean | undefined }) => TableLine[]
    >();
  });
  it('readTable', () => {
    expectTypeOf(readTable).toEqualTypeOf<
      (file: string, opts?: { allowEmptyValue?: boolean | undefined }) => Promise<TableLine[]>
    >();
  });
  it('TableLine', () => {
    expectTypeOf<TableLine['key']>().toEqualTypeOf<string>();
    expectTypeOf<TableLine['value']>().toEqualTypeOf<string>();
    expectTypeOf<TableLine['line']>().toEqualTypeOf<number>();
  });
  it('MatrixRange', () => {
    expectTypeOf<MatrixRange['rows']>().toEqualTypeOf<[number, number] | undefined>();
    expectTypeOf<MatrixRange['cols']>().toEqualTypeOf<[number, number] | undefined>();
  });
  it('PipeNotAllowedError', () => {
    expectTypeOf(PipeNotAllowedError).constructorParameters.toEqualTypeOf<[spec: string, where: string]>();
    expectTypeOf<PipeNotAllowedError['name']>().toEqualTypeOf<string>();
  });
  it('PipeOptions', () => {
    expectTypeOf<PipeOptions['allowPipes']>().toEqualTypeOf<boolean | undefined>();
  });
  it('parseRxspec', () => {
    expectTypeOf(parseRxspec).toEqualTypeOf<(spec: string) => Rxspec>();
  });
  it('mulberry32', () => {
    expectTypeOf(mulberry32).toEqualTypeOf<(seed: number) => () => number>();
  });
  it('seededShuffle', () => {
    expectTypeOf(seededShuffle).toEqualTypeOf<<T>(xs: readonly T[], seed: number) => T[]>();
  });
  it('PaddedFeatures', () => {
    expectTypeOf<PaddedFeatures['features']>().toEqualTypeOf<Float32Array<ArrayBufferLike>>();
    expectTypeOf<PaddedFeatures['lengths']>().toEqualTypeOf<ArrayLike<number>>();
    expectTypeOf<PaddedFeatures['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<PaddedFeatures['maxFrames']>().toEqualTypeOf<number>();
    expectTypeOf<PaddedFeatures['dim']>().toEqualTypeOf<number>();
  });
  it('SpecAugmentOptions', () => {
    expectTypeOf<SpecAugmentOptions['seed']>().toEqualTypeOf<number>();
    expectTypeOf<SpecAugmentOptions['freqMasks']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentOptions['freqMaskWidth']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentOptions['freqGroups']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentOptions['timeMasks']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentOptions['timeMaskWidth']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentOptions['timeMaskRatio']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentOptions['timeWarp']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentOptions['maskValue']>().toEqualTypeOf<number | undefined>();
  });
  it('SpecAugmentResult', () => {
    expectTypeOf<SpecAugmentResult['features']>().toEqualTypeOf<Float32Array<ArrayBufferLike>>();
    expectTypeOf<SpecAugmentResult['masks']>().toEqualTypeOf<UtteranceMasks[]>();
  });
  it('specAugment', () => {
    expectTypeOf(specAugment).toEqualTypeOf<
      (batch: PaddedFeatures, options: SpecAugmentOptions) => SpecAugmentResult
    >();
  });
  it('UtteranceMasks', () => {
    expectTypeOf<UtteranceMasks['warp']>().toEqualTypeOf<{ from: number; to: number }>();
    expectTypeOf<UtteranceMasks['freq']>().toEqualTypeOf<[number, number][]>();
    expectTypeOf<UtteranceMasks['time']>().toEqualTypeOf<[number, number][]>();
  });
  it('Batch', () => {
    expectTypeOf<Batch['keys']>().toEqualTypeOf<string[]>();
    expectTypeOf<Batch['features']>().toEqualTypeOf<Float32Array<ArrayBufferLike>>();
    expectTypeOf<Batch['lengths']>().toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf<Batch['labels']>().toEqualTypeOf<Int32Array<ArrayBufferLike>[]>();
    expectTypeOf<Batch['labelLengths']>().toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf<Batch['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<Batch['maxFrames']>().toEqualTypeOf<number>();
    expectTypeOf<Batch['dim']>().toEqualTypeOf<number>();
  });
  it('SpeechDataset', () => {
    expectTypeOf<SpeechDataset['subset']>().toEqualTypeOf<(utts: string[]) => SpeechDataset>();
    expectTypeOf<SpeechDataset['split']>().toEqualTypeOf<
      (heldOutRatio: number, seed?: number) => { train: SpeechDataset; heldOut: SpeechDataset }
    >();
    expectTypeOf<SpeechDataset['buckets']>().toEqualTypeOf<() => string[][]>();
    expectTypeOf<SpeechDataset['batchOrder']>().toEqualTypeOf<(epoch?: number) => number[]>();
    expectTypeOf<SpeechDataset['plan']>().toEqualTypeOf<(epoch?: number) => string[][]>();
    expectTypeOf<SpeechDataset['withOptions']>().toEqualTypeOf<
      (o: Pick<SpeechDatasetOptions, 'frameBudget' | 'maxBatchSize' | 'seed' | 'shuffle'>) => SpeechDataset
    >();
    expectTypeOf<SpeechDataset['features']>().toEqualTypeOf<(utt: string) => Promise<Matrix>>();
    expectTypeOf<SpeechDataset['loadBatch']>().toEqualTypeOf<(keys: string[]) => Promise<Batch>>();
    expectTypeOf<SpeechDataset['numBatches']>().toEqualTypeOf<number>();
    expectTypeOf<SpeechDataset['batches']>().toEqualTypeOf<
      (epoch?: number, from?: number) => AsyncGenerator<Batch>
    >();
  });
  it('SpeechDatasetOptions', () => {
    expectTypeOf<SpeechDatasetOptions['labels']>().toEqualTypeOf<
      Map<string, Int32Array<ArrayBufferLike>> | undefined
    >();
    expectTypeOf<SpeechDatasetOptions['cmvn']>().toEqualTypeOf<
      boolean | { normVars?: boolean | undefined } | undefined
    >();
    expectTypeOf<SpeechDatasetOptions['deltas']>().toEqualTypeOf<false | DeltaOptions | undefined>();
    expectTypeOf<SpeechDatasetOptions['splice']>().toEqualTypeOf<
      false | { left: number; right: number } | undefined
    >();
    expectTypeOf<SpeechDatasetOptions['frameBudget']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpeechDatasetOptions['maxBatchSize']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpeechDatasetOptions['seed']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpeechDatasetOptions['shuffle']>().toEqualTypeOf<boolean | undefined>();
  });
  it('spliceFrames', () => {
    expectTypeOf(spliceFrames).toEqualTypeOf<(feats: Matrix, left: number, right: number) => Matrix>();
  });
  // ArkEntry is generic: pinned through the functions that use it.
  it('isMatrix', () => {
    expectTypeOf(isMatrix).toEqualTypeOf<(v: KaldiValue) => v is Matrix>();
  });
  it('isVector', () => {
    expectTypeOf(isVector).toEqualTypeOf<(v: KaldiValue) => v is Vector>();
  });
  it('KaldiValue', () => {
    expectTypeOf<KaldiValue>().toEqualTypeOf<Matrix | Vector | Int32Array<ArrayBufferLike>>();
  });
  it('Matrix', () => {
    expectTypeOf<Matrix['rows']>().toEqualTypeOf<number>();
    expectTypeOf<Matrix['cols']>().toEqualTypeOf<number>();
    expectTypeOf<Matrix['data']>().toEqualTypeOf<
      Float32Array<ArrayBufferLike> | Float64Array<ArrayBufferLike>
    >();
  });
  it('Vector', () => {
    expectTypeOf<Vector['data']>().toEqualTypeOf<
      Float32Array<ArrayBufferLike> | Float64Array<ArrayBufferLike>
    >();
  });
  it('WriteArkOptions', () => {
    expectTypeOf<WriteArkOptions['text']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<WriteArkOptions['compress']>().toEqualTypeOf<CompressOption | undefined>();
    expectTypeOf<WriteArkOptions['scp']>().toEqualTypeOf<string | false | undefined>();
  });
  it('WriteArkResult', () => {
    expectTypeOf<WriteArkResult['ark']>().toEqualTypeOf<string>();
    expectTypeOf<WriteArkResult['scp']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<WriteArkResult['offsets']>().toEqualTypeOf<Map<string, number>>();
  });
  it('writeArk', () => {
    expectTypeOf(writeArk).toEqualTypeOf<
      (
        arkPath: string,
        entries: Iterable<ArkEntry<KaldiValue>> | AsyncIterable<ArkEntry<KaldiValue>>,
        opts?: WriteArkOptions,
      ) => Promise<WriteArkResult>
    >();
  });
});
