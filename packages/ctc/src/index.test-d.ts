// Pins the public signatures of @stnas/ctc (src/index.ts): an accidental change to a parameter,
// a return type or a field fails `vitest` (typecheck). New exports and new fields do not.
import type { Rank, Tensor } from '@tensorflow/tfjs-core';
import { describe, expectTypeOf, it } from 'vitest';
import type { CtcBatch, CtcKernelOptions, CtcResult } from './ctc-forward-backward';
import type { DenominatorKernelOptions } from './denominator-forward-backward';
import {
  type AlignmentStep,
  type ArpaFormatError,
  ArpaModel,
  type BeamHypothesis,
  buildDenominatorGraph,
  type CrfBatchResult,
  CTC_PARALLEL_MIN_WORK,
  type CtcCrfLossOptions,
  type CtcCrfParts,
  type CtcCrfReduction,
  type CtcInputError,
  type CtcLossOptions,
  type CtcReduction,
  type CtcTargets,
  CtcWorkerPool,
  type CtcWorkerPoolOptions,
  ctcCrfForwardBackward,
  ctcCrfLoss,
  ctcLoss,
  ctcLossFromLogProbs,
  ctcWork,
  type DenominatorGraph,
  type DenominatorGraphError,
  type DenominatorGraphOptions,
  type DenominatorResult,
  denominatorForwardBackward,
  type EditResult,
  type ErrorCounts,
  editDistance,
  errorRate,
  estimatePhoneLm,
  estimateWordLm,
  formatAlignment,
  formatArpa,
  type GreedyDecodeOptions,
  greedyDecode,
  type LexiconBeamSearchOptions,
  type LogProbsInput,
  lexiconBeamSearch,
  loadArpa,
  type NgramTable,
  type PerplexityResult,
  type PhoneLmError,
  type PhoneLmOptions,
  type PrefixBeamSearchOptions,
  parseArpa,
  perplexity,
  prefixBeamSearch,
  sharedCtcPool,
  type TokenLanguageModel,
  type WordHypothesis,
  type WordLmError,
  type WordLmOptions,
  type WordLmSmoothing,
  worstAlignments,
  writeArpa,
} from './index';

describe('@stnas/ctc public API', () => {
  it('NgramTable', () => {
    expectTypeOf<NgramTable>().toEqualTypeOf<
      Map<string, { readonly logProb10: number; readonly backoff10: number }>
    >();
  });
  it('ArpaFormatError', () => {
    expectTypeOf<ArpaFormatError['name']>().toEqualTypeOf<string>();
  });
  it('ArpaModel', () => {
    expectTypeOf(ArpaModel).constructorParameters.toEqualTypeOf<[ngrams: readonly NgramTable[]]>();
    expectTypeOf<ArpaModel['order']>().toEqualTypeOf<number>();
    expectTypeOf<ArpaModel['ngrams']>().toEqualTypeOf<readonly NgramTable[]>();
    expectTypeOf<ArpaModel['startState']>().toEqualTypeOf<number>();
    expectTypeOf<ArpaModel['vocabulary']>().toEqualTypeOf<string[]>();
    expectTypeOf<ArpaModel['logProb10']>().toEqualTypeOf<
      (history: readonly string[], word: string) => number
    >();
    expectTypeOf<ArpaModel['sentenceLogProb10']>().toEqualTypeOf<(words: readonly string[]) => number>();
    expectTypeOf<ArpaModel['next']>().toEqualTypeOf<
      (state: number, word: string) => { logProb: number; state: number }
    >();
    expectTypeOf<ArpaModel['end']>().toEqualTypeOf<(state: number) => number>();
  });
  it('loadArpa', () => {
    expectTypeOf(loadArpa).toEqualTypeOf<(path: string) => Promise<ArpaModel>>();
  });
  it('parseArpa', () => {
    expectTypeOf(parseArpa).toEqualTypeOf<(text: string, source?: string) => ArpaModel>();
  });
  it('CtcCrfLossOptions', () => {
    expectTypeOf<CtcCrfLossOptions['denominator']>().toEqualTypeOf<DenominatorGraph>();
    expectTypeOf<CtcCrfLossOptions['lambda']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CtcCrfLossOptions['blank']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CtcCrfLossOptions['reduction']>().toEqualTypeOf<CtcCrfReduction | undefined>();
    expectTypeOf<CtcCrfLossOptions['zeroInfinity']>().toEqualTypeOf<boolean | undefined>();
  });
  it('CtcCrfParts', () => {
    expectTypeOf<CtcCrfParts['ctc']>().toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf<CtcCrfParts['lm']>().toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf<CtcCrfParts['den']>().toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf<CtcCrfParts['loss']>().toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf<CtcCrfParts['grad']>().toEqualTypeOf<Float32Array<ArrayBufferLike> | undefined>();
  });
  it('CtcCrfReduction', () => {
    expectTypeOf<CtcCrfReduction>().toEqualTypeOf<'mean' | 'sum' | 'none' | 'batchMean'>();
  });
  it('ctcCrfForwardBackward', () => {
    expectTypeOf(ctcCrfForwardBackward).toEqualTypeOf<
      (
        data: Float64Array<ArrayBufferLike> | Float32Array<ArrayBufferLike>,
        shape: readonly [number, number, number],
        targets: CtcTargets,
        inputLengths: ArrayLike<number>,
        graph: DenominatorGraph,
        lambda: number,
        wantGrad: boolean,
      ) => CtcCrfParts
    >();
  });
  it('ctcCrfLoss', () => {
    expectTypeOf(ctcCrfLoss).toEqualTypeOf<
      (
        logits: Tensor<Rank>,
        targets: CtcTargets,
        inputLengths: ArrayLike<number>,
        options: CtcCrfLossOptions,
      ) => Tensor<Rank>
    >();
  });
  it('CrfBatchResult', () => {
    expectTypeOf<CrfBatchResult['losses']>().toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf<CrfBatchResult['den']>().toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf<CrfBatchResult['grad']>().toEqualTypeOf<Float32Array<ArrayBufferLike> | undefined>();
    expectTypeOf<CrfBatchResult['logSpaceFallbacks']>().toEqualTypeOf<number>();
  });
  it('CtcLossOptions', () => {
    expectTypeOf<CtcLossOptions['blank']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CtcLossOptions['reduction']>().toEqualTypeOf<CtcReduction | undefined>();
    expectTypeOf<CtcLossOptions['zeroInfinity']>().toEqualTypeOf<boolean | undefined>();
  });
  it('CtcReduction', () => {
    expectTypeOf<CtcReduction>().toEqualTypeOf<'mean' | 'sum' | 'none'>();
  });
  it('CtcTargets', () => {
    expectTypeOf<CtcTargets>().toEqualTypeOf<readonly (readonly number[] | Int32Array<ArrayBufferLike>)[]>();
  });
  it('CtcInputError', () => {
    expectTypeOf<CtcInputError['name']>().toEqualTypeOf<string>();
  });
  it('ctcLoss', () => {
    expectTypeOf(ctcLoss).toEqualTypeOf<
      (
        logits: Tensor<Rank>,
        targets: CtcTargets,
        inputLengths: ArrayLike<number>,
        options?: CtcLossOptions,
      ) => Tensor<Rank>
    >();
  });
  it('ctcLossFromLogProbs', () => {
    expectTypeOf(ctcLossFromLogProbs).toEqualTypeOf<
      (
        logProbs: Tensor<Rank>,
        targets: CtcTargets,
        inputLengths: ArrayLike<number>,
        options?: CtcLossOptions,
      ) => Tensor<Rank>
    >();
  });
  it('CtcWorkerPoolOptions', () => {
    expectTypeOf<CtcWorkerPoolOptions['workers']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CtcWorkerPoolOptions['workerUrl']>().toEqualTypeOf<URL | undefined>();
    expectTypeOf<CtcWorkerPoolOptions['minWork']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CtcWorkerPoolOptions['timeoutMs']>().toEqualTypeOf<number | undefined>();
  });
  it('CTC_PARALLEL_MIN_WORK', () => {
    expectTypeOf(CTC_PARALLEL_MIN_WORK).toEqualTypeOf<number>();
  });
  it('CtcWorkerPool', () => {
    expectTypeOf(CtcWorkerPool).constructorParameters.toEqualTypeOf<[options?: CtcWorkerPoolOptions]>();
    expectTypeOf<CtcWorkerPool['lastWorkerUtterances']>().toEqualTypeOf<number>();
    expectTypeOf<CtcWorkerPool['failed']>().toEqualTypeOf<Error | undefined>();
    expectTypeOf<CtcWorkerPool['started']>().toEqualTypeOf<boolean>();
    expectTypeOf<CtcWorkerPool['threads']>().toEqualTypeOf<number>();
    expectTypeOf<CtcWorkerPool['run']>().toEqualTypeOf<
      (batch: CtcBatch, options?: CtcKernelOptions) => CtcResult
    >();
    expectTypeOf<CtcWorkerPool['runCrf']>().toEqualTypeOf<
      (batch: CtcBatch, graph: DenominatorGraph, lambda: number, options?: CtcKernelOptions) => CrfBatchResult
    >();
    expectTypeOf<CtcWorkerPool['close']>().toEqualTypeOf<() => Promise<void>>();
  });
  it('ctcWork', () => {
    expectTypeOf(ctcWork).toEqualTypeOf<(batch: CtcBatch) => number>();
  });
  it('sharedCtcPool', () => {
    expectTypeOf(sharedCtcPool).toEqualTypeOf<() => CtcWorkerPool>();
  });
  it('DenominatorResult', () => {
    expectTypeOf<DenominatorResult['logZ']>().toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf<DenominatorResult['occupancy']>().toEqualTypeOf<Float32Array<ArrayBufferLike> | undefined>();
    expectTypeOf<DenominatorResult['logSpaceFallbacks']>().toEqualTypeOf<number>();
  });
  it('denominatorForwardBackward', () => {
    expectTypeOf(denominatorForwardBackward).toEqualTypeOf<
      (
        data: Float64Array<ArrayBufferLike> | Float32Array<ArrayBufferLike>,
        shape: readonly [number, number, number],
        inputLengths: ArrayLike<number>,
        graph: DenominatorGraph,
        options?: DenominatorKernelOptions,
      ) => DenominatorResult
    >();
  });
  it('DenominatorGraph', () => {
    expectTypeOf<DenominatorGraph['numClasses']>().toEqualTypeOf<number>();
    expectTypeOf<DenominatorGraph['blank']>().toEqualTypeOf<number>();
    expectTypeOf<DenominatorGraph['numLmStates']>().toEqualTypeOf<number>();
    expectTypeOf<DenominatorGraph['startState']>().toEqualTypeOf<number>();
    expectTypeOf<DenominatorGraph['finalLogProb']>().toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf<DenominatorGraph['numLabelStates']>().toEqualTypeOf<number>();
    expectTypeOf<DenominatorGraph['labelStateLm']>().toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf<DenominatorGraph['labelStateClass']>().toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf<DenominatorGraph['arcFrom']>().toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf<DenominatorGraph['arcLabel']>().toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf<DenominatorGraph['arcLogProb']>().toEqualTypeOf<Float64Array<ArrayBufferLike>>();
    expectTypeOf<DenominatorGraph['arcTo']>().toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf<DenominatorGraph['arcExclude']>().toEqualTypeOf<Int32Array<ArrayBufferLike>>();
    expectTypeOf<DenominatorGraph['sequenceLogProb']>().toEqualTypeOf<
      (labels: ArrayLike<number>) => number
    >();
  });
  it('DenominatorGraphOptions', () => {
    expectTypeOf<DenominatorGraphOptions['numClasses']>().toEqualTypeOf<number>();
    expectTypeOf<DenominatorGraphOptions['blank']>().toEqualTypeOf<number | undefined>();
  });
  it('buildDenominatorGraph', () => {
    expectTypeOf(buildDenominatorGraph).toEqualTypeOf<
      (lm: ArpaModel, options: DenominatorGraphOptions) => DenominatorGraph
    >();
  });
  it('DenominatorGraphError', () => {
    expectTypeOf<DenominatorGraphError['name']>().toEqualTypeOf<string>();
  });
  // AlignmentStep is generic: pinned through the functions that use it.
  // EditResult is generic: pinned through the functions that use it.
  it('ErrorCounts', () => {
    expectTypeOf<ErrorCounts['errors']>().toEqualTypeOf<number>();
    expectTypeOf<ErrorCounts['substitutions']>().toEqualTypeOf<number>();
    expectTypeOf<ErrorCounts['deletions']>().toEqualTypeOf<number>();
    expectTypeOf<ErrorCounts['insertions']>().toEqualTypeOf<number>();
    expectTypeOf<ErrorCounts['refLength']>().toEqualTypeOf<number>();
    expectTypeOf<ErrorCounts['rate']>().toEqualTypeOf<number>();
  });
  it('editDistance', () => {
    expectTypeOf(editDistance).toEqualTypeOf<<T>(ref: ArrayLike<T>, hyp: ArrayLike<T>) => EditResult<T>>();
  });
  it('errorRate', () => {
    expectTypeOf(errorRate).toEqualTypeOf<
      <T>(refs: readonly ArrayLike<T>[], hyps: readonly ArrayLike<T>[]) => ErrorCounts
    >();
  });
  it('formatAlignment', () => {
    expectTypeOf(formatAlignment).toEqualTypeOf<<T>(alignment: readonly AlignmentStep<T>[]) => string>();
  });
  it('worstAlignments', () => {
    expectTypeOf(worstAlignments).toEqualTypeOf<
      <T>(
        refs: readonly ArrayLike<T>[],
        hyps: readonly ArrayLike<T>[],
        options?: { readonly count?: number | undefined; readonly ids?: readonly string[] | undefined },
      ) => string
    >();
  });
  it('GreedyDecodeOptions', () => {
    expectTypeOf<GreedyDecodeOptions['blank']>().toEqualTypeOf<number | undefined>();
  });
  it('greedyDecode', () => {
    expectTypeOf(greedyDecode).toEqualTypeOf<
      (logProbs: LogProbsInput, inputLengths: ArrayLike<number>, options?: GreedyDecodeOptions) => number[][]
    >();
  });
  it('TokenLanguageModel', () => {
    expectTypeOf<TokenLanguageModel['startState']>().toEqualTypeOf<number>();
    expectTypeOf<TokenLanguageModel['next']>().toEqualTypeOf<
      (state: number, word: string) => { readonly logProb: number; readonly state: number }
    >();
    expectTypeOf<TokenLanguageModel['end']>().toEqualTypeOf<(state: number) => number>();
  });
  it('LexiconBeamSearchOptions', () => {
    expectTypeOf<LexiconBeamSearchOptions['lexicon']>().toEqualTypeOf<
      ReadonlyMap<string, readonly (readonly number[])[]>
    >();
    expectTypeOf<LexiconBeamSearchOptions['lm']>().toEqualTypeOf<ArpaModel | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['lmWeight']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['wordBonus']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['beamWidth']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['beamThreshold']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['blank']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['nBest']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['unkScore']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['pruneLogProb']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['recombine']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<LexiconBeamSearchOptions['lookahead']>().toEqualTypeOf<'history' | 'unigram' | undefined>();
  });
  it('WordHypothesis', () => {
    expectTypeOf<WordHypothesis['words']>().toEqualTypeOf<string[]>();
    expectTypeOf<WordHypothesis['score']>().toEqualTypeOf<number>();
    expectTypeOf<WordHypothesis['acousticLogProb']>().toEqualTypeOf<number>();
    expectTypeOf<WordHypothesis['lmLogProb']>().toEqualTypeOf<number>();
  });
  it('lexiconBeamSearch', () => {
    expectTypeOf(lexiconBeamSearch).toEqualTypeOf<
      (
        logProbs: LogProbsInput,
        inputLengths: ArrayLike<number>,
        options: LexiconBeamSearchOptions,
      ) => WordHypothesis[][]
    >();
  });
  it('LogProbsInput', () => {
    expectTypeOf<LogProbsInput>().toEqualTypeOf<
      | Tensor<Rank>
      | {
          readonly data: Float64Array<ArrayBufferLike> | Float32Array<ArrayBufferLike>;
          readonly shape: readonly [number, number, number];
        }
    >();
  });
  it('PerplexityResult', () => {
    expectTypeOf<PerplexityResult['perplexity']>().toEqualTypeOf<number>();
    expectTypeOf<PerplexityResult['logProb10']>().toEqualTypeOf<number>();
    expectTypeOf<PerplexityResult['sentences']>().toEqualTypeOf<number>();
    expectTypeOf<PerplexityResult['words']>().toEqualTypeOf<number>();
    expectTypeOf<PerplexityResult['oov']>().toEqualTypeOf<number>();
  });
  it('perplexity', () => {
    expectTypeOf(perplexity).toEqualTypeOf<
      (lm: ArpaModel, sentences: readonly (readonly string[])[]) => PerplexityResult
    >();
  });
  it('PhoneLmOptions', () => {
    expectTypeOf<PhoneLmOptions['order']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PhoneLmOptions['noPruneOrder']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PhoneLmOptions['minHistoryCount']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PhoneLmOptions['extraStates']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PhoneLmOptions['discount']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PhoneLmOptions['source']>().toEqualTypeOf<string | undefined>();
  });
  it('estimatePhoneLm', () => {
    expectTypeOf(estimatePhoneLm).toEqualTypeOf<
      (labelSequences: readonly ArrayLike<number>[], options?: PhoneLmOptions) => ArpaModel
    >();
  });
  it('PhoneLmError', () => {
    expectTypeOf<PhoneLmError['name']>().toEqualTypeOf<string>();
  });
  it('BeamHypothesis', () => {
    expectTypeOf<BeamHypothesis['tokens']>().toEqualTypeOf<number[]>();
    expectTypeOf<BeamHypothesis['score']>().toEqualTypeOf<number>();
    expectTypeOf<BeamHypothesis['acousticLogProb']>().toEqualTypeOf<number>();
    expectTypeOf<BeamHypothesis['lmLogProb']>().toEqualTypeOf<number>();
  });
  it('PrefixBeamSearchOptions', () => {
    expectTypeOf<PrefixBeamSearchOptions['beamWidth']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrefixBeamSearchOptions['blank']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrefixBeamSearchOptions['lm']>().toEqualTypeOf<TokenLanguageModel | undefined>();
    expectTypeOf<PrefixBeamSearchOptions['lmWeight']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrefixBeamSearchOptions['insertionBonus']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrefixBeamSearchOptions['vocabulary']>().toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<PrefixBeamSearchOptions['nBest']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrefixBeamSearchOptions['pruneLogProb']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrefixBeamSearchOptions['maxCandidates']>().toEqualTypeOf<number | undefined>();
  });
  it('prefixBeamSearch', () => {
    expectTypeOf(prefixBeamSearch).toEqualTypeOf<
      (
        logProbs: LogProbsInput,
        inputLengths: ArrayLike<number>,
        options?: PrefixBeamSearchOptions,
      ) => BeamHypothesis[][]
    >();
  });
  it('WordLmOptions', () => {
    expectTypeOf<WordLmOptions['order']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordLmOptions['smoothing']>().toEqualTypeOf<WordLmSmoothing | undefined>();
    expectTypeOf<WordLmOptions['source']>().toEqualTypeOf<string | undefined>();
  });
  it('WordLmSmoothing', () => {
    expectTypeOf<WordLmSmoothing>().toEqualTypeOf<'modified-kneser-ney' | 'kneser-ney'>();
  });
  it('estimateWordLm', () => {
    expectTypeOf(estimateWordLm).toEqualTypeOf<
      (sentences: readonly (readonly string[])[], options?: WordLmOptions) => ArpaModel
    >();
  });
  it('WordLmError', () => {
    expectTypeOf<WordLmError['name']>().toEqualTypeOf<string>();
  });
  it('formatArpa', () => {
    expectTypeOf(formatArpa).toEqualTypeOf<(model: { readonly ngrams: readonly NgramTable[] }) => string>();
  });
  it('writeArpa', () => {
    expectTypeOf(writeArpa).toEqualTypeOf<
      (model: { readonly ngrams: readonly NgramTable[] }, path: string) => Promise<void>
    >();
  });
});
