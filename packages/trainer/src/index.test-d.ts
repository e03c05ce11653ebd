// Pins the public signatures of @stnas/trainer (src/index.ts): an accidental change to a parameter,
// a return type or a field fails `vitest` (typecheck). New exports and new fields do not.

import type { ArpaModel, DenominatorGraph } from '@stnas/ctc';
import type { Batch as DatasetBatch, SpeechDataset } from '@stnas/data-wsj';
import type { ApplyOptions, SearchSpaceModel, StnasConfig } from '@stnas/search-space';
import type { EstimatorName, Rng, RngState } from '@stnas/st-estimator';
import type { Rank, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type Adam,
  type AdamOptions,
  type AdamSlot,
  type AdamState,
  type AdamStateData,
  type ArchitectureDrawing,
  type ArchProbHistory,
  adamStateFromData,
  adamStateToData,
  architectureSvg,
  assignVariables,
  augmentBatch,
  axisTicks,
  type Batch,
  type Batching,
  type BuildWordLmInputs,
  type BuildWordLmResult,
  baselineOps,
  batchLoss,
  bestCheckpointPath,
  buildWordLm,
  type Checkpoint,
  type CheckpointArray,
  type CheckpointError,
  type CliIo,
  collectReport,
  configOps,
  configWithOps,
  corpusDir,
  createAdam,
  createObjective,
  createProgress,
  DEFAULT_DECISION_RULE,
  DEFAULT_PIPELINE,
  DEFAULT_TUNING_GRID,
  type DecisionRule,
  type DecodeInputs,
  type DecodeResult,
  type DemoInputs,
  type DemoPlan,
  type DemoResult,
  type DerivedArchitecture,
  type DevLoss,
  decisionStop,
  defaultSpecAugment,
  demoPlan,
  disposeAdamState,
  type EpochRecord,
  EXIT,
  entropy,
  escapeHtml,
  evaluateLoss,
  type FeaturePipeline,
  formatDuration,
  formatResults,
  fromDatasetBatch,
  type InputError,
  type Lexicon,
  type LoopOptimizer,
  type LoopResult,
  type LoopSpec,
  type LoopState,
  type LossCurve,
  type LossKind,
  lineChartSvg,
  lmVocabulary,
  loadStageData,
  type ModelManifest,
  main,
  modelVariables,
  noAudioMessage,
  nodeEntropies,
  openStageSet,
  PHONE_LM_FILE,
  type PipelineInputs,
  type PipelineResult,
  type PlateauDecision,
  type PlateauOptions,
  type PlateauState,
  type Posteriors,
  type Progress,
  type ProgressSink,
  type ProgressUpdate,
  parseSpecAugmentConfig,
  parseSpeedFactors,
  pinConfig,
  pinRunConfig,
  plateauInit,
  plateauStep,
  prepareSpeedPerturbed,
  progressText,
  type ReportData,
  type ResultRow,
  type ResumeError,
  type RetrainInputs,
  type RunResults,
  type RunTrainingConfig,
  randomArchitecture,
  readArchProbs,
  readCheckpoint,
  readLexicon,
  readModelManifest,
  readTranscripts,
  readUnits,
  readWordLexicon,
  renderReport,
  resolveTrainingOptions,
  retrainSchedule,
  runDecode,
  runDemo,
  runLoop,
  runPipeline,
  runRetrain,
  runSearch,
  runWarmup,
  runWordDecode,
  type SafeUpdateResult,
  SEARCH_ESTIMATORS,
  type SearchInputs,
  type SpecAugmentConfig,
  type StageData,
  type StageHistory,
  type StageInputs,
  type StageObjective,
  type StageSet,
  type StepOutcome,
  safeUpdate,
  searchDir,
  searchedArchitecture,
  searchSchedule,
  searchWords,
  setupStage,
  shuffledOrder,
  stageDenominator,
  stepSeed,
  type TrainingOptions,
  type TuningPoint,
  trainingDataDir,
  tuneWordSearch,
  type UndecidedNode,
  type Units,
  type UsageError,
  undecidedNodes,
  undecidedWarning,
  variablesToArrays,
  type WarmupInputs,
  type WordDecodeInputs,
  type WordDecodeResult,
  type WordLexicon,
  type WordLmTuning,
  type WordSearchSettings,
  warmupDir,
  warmupSchedule,
  wordsToUnits,
  writeCheckpoint,
  writeFileAtomic,
  writeReport,
} from './index';
import type { Batches } from './stages/stage-objective';
import type { DevEvaluation } from './training/train-loop';

describe('@stnas/trainer public API', () => {
  it('CliIo', () => {
    expectTypeOf<CliIo['out']>().toEqualTypeOf<(line: string) => void>();
    expectTypeOf<CliIo['err']>().toEqualTypeOf<(line: string) => void>();
    expectTypeOf<CliIo['progress']>().toEqualTypeOf<
      { write: (text: string) => void; isTTY: boolean; columns?: number | undefined } | undefined
    >();
  });
  it('main', () => {
    expectTypeOf(main).toEqualTypeOf<(argv: string[], io?: CliIo) => Promise<number>>();
  });
  it('Batch', () => {
    expectTypeOf<Batch['keys']>().toEqualTypeOf<string[]>();
    expectTypeOf<Batch['x']>().toEqualTypeOf<Float32Array<ArrayBufferLike>>();
    expectTypeOf<Batch['shape']>().toEqualTypeOf<[number, number, number]>();
    expectTypeOf<Batch['lengths']>().toEqualTypeOf<number[]>();
    expectTypeOf<Batch['labels']>().toEqualTypeOf<Int32Array<ArrayBufferLike>[]>();
    expectTypeOf<Batch['frames']>().toEqualTypeOf<number>();
  });
  it('fromDatasetBatch', () => {
    expectTypeOf(fromDatasetBatch).toEqualTypeOf<(b: DatasetBatch) => Batch>();
  });
  it('corpusDir', () => {
    expectTypeOf(corpusDir).toEqualTypeOf<() => string>();
  });
  it('DEFAULT_PIPELINE', () => {
    expectTypeOf(DEFAULT_PIPELINE).toEqualTypeOf<FeaturePipeline>();
  });
  it('FeaturePipeline', () => {
    expectTypeOf<FeaturePipeline['cmvn']>().toEqualTypeOf<'speaker' | 'none'>();
    expectTypeOf<FeaturePipeline['normVars']>().toEqualTypeOf<boolean>();
    expectTypeOf<FeaturePipeline['deltaOrder']>().toEqualTypeOf<number>();
  });
  it('Lexicon', () => {
    expectTypeOf<Lexicon>().toEqualTypeOf<Map<string, string[]>>();
  });
  it('Units', () => {
    expectTypeOf<Units['names']>().toEqualTypeOf<string[]>();
    expectTypeOf<Units['ids']>().toEqualTypeOf<Map<string, number>>();
  });
  it('readLexicon', () => {
    expectTypeOf(readLexicon).toEqualTypeOf<(file: string) => Lexicon>();
  });
  it('readUnits', () => {
    expectTypeOf(readUnits).toEqualTypeOf<(file: string) => Units>();
  });
  it('wordsToUnits', () => {
    expectTypeOf(wordsToUnits).toEqualTypeOf<
      (
        words: readonly string[],
        lexicon: Lexicon,
        units: Units,
        where: string,
      ) => { labels: Int32Array<ArrayBufferLike>; oov: number }
    >();
  });
  it('noAudioMessage', () => {
    expectTypeOf(noAudioMessage).toEqualTypeOf<(data: string) => string>();
  });
  it('parseSpeedFactors', () => {
    expectTypeOf(parseSpeedFactors).toEqualTypeOf<(text: string, option?: string) => number[]>();
  });
  it('prepareSpeedPerturbed', () => {
    expectTypeOf(prepareSpeedPerturbed).toEqualTypeOf<
      (o: {
        data: string;
        out: string;
        factors: number[];
        seed?: number | undefined;
        log?: ((line: string) => void) | undefined;
      }) => Promise<{ utterances: number; speakers: number; dir: string }>
    >();
  });
  it('trainingDataDir', () => {
    expectTypeOf(trainingDataDir).toEqualTypeOf<
      (i: {
        data: string;
        out: string;
        seed: number;
        speedPerturb?: number[] | undefined;
        log: (line: string) => void;
      }) => Promise<string>
    >();
  });
  it('Batching', () => {
    expectTypeOf<Batching['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<Batching['batchFrames']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Batching['seed']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Batching['shuffle']>().toEqualTypeOf<boolean>();
  });
  it('openStageSet', () => {
    expectTypeOf(openStageSet).toEqualTypeOf<
      (
        dir: string,
        o: {
          lexicon: Lexicon;
          units: Units;
          pipeline: FeaturePipeline;
          maxUtts?: number | undefined;
          batching: Batching;
        },
      ) => Promise<StageSet>
    >();
  });
  it('StageSet', () => {
    expectTypeOf<StageSet['dir']>().toEqualTypeOf<string>();
    expectTypeOf<StageSet['dim']>().toEqualTypeOf<number>();
    expectTypeOf<StageSet['dataset']>().toEqualTypeOf<SpeechDataset>();
    expectTypeOf<StageSet['labels']>().toEqualTypeOf<Map<string, Int32Array<ArrayBufferLike>>>();
    expectTypeOf<StageSet['oov']>().toEqualTypeOf<number>();
    expectTypeOf<StageSet['words']>().toEqualTypeOf<number>();
    expectTypeOf<StageSet['numBatches']>().toEqualTypeOf<number>();
    expectTypeOf<StageSet['batch']>().toEqualTypeOf<(index: number) => Promise<Batch>>();
    expectTypeOf<StageSet['batches']>().toEqualTypeOf<
      (epoch?: number | undefined, from?: number | undefined) => AsyncGenerator<Batch>
    >();
    expectTypeOf<StageSet['reader']>().toEqualTypeOf<
      () => { get(b: number, next?: number | undefined): Promise<Batch> }
    >();
    expectTypeOf<StageSet['rebatch']>().toEqualTypeOf<(b: Batching) => StageSet>();
    expectTypeOf<StageSet['subset']>().toEqualTypeOf<(utts: string[]) => StageSet>();
    expectTypeOf<StageSet['close']>().toEqualTypeOf<() => Promise<void>>();
  });
  it('EXIT', () => {
    expectTypeOf(EXIT).toEqualTypeOf<{
      readonly ok: 0;
      readonly failure: 1;
      readonly usage: 2;
      readonly backend: 3;
      readonly input: 4;
      readonly queue: 5;
    }>();
  });
  it('InputError', () => {
    expectTypeOf<InputError['name']>().toEqualTypeOf<string>();
  });
  it('UsageError', () => {
    expectTypeOf<UsageError['name']>().toEqualTypeOf<string>();
  });
  it('axisTicks', () => {
    expectTypeOf(axisTicks).toEqualTypeOf<
      (
        min: number,
        max: number,
        o?: { maxTicks?: number | undefined; integer?: boolean | undefined },
      ) => number[]
    >();
  });
  it('ArchitectureDrawing', () => {
    expectTypeOf<ArchitectureDrawing['ops']>().toEqualTypeOf<string[]>();
    expectTypeOf<ArchitectureDrawing['fixed']>().toEqualTypeOf<{ after: number; op: string }[] | undefined>();
    expectTypeOf<ArchitectureDrawing['inputDim']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ArchitectureDrawing['outputDim']>().toEqualTypeOf<number | undefined>();
  });
  it('ArchProbHistory', () => {
    expectTypeOf<ArchProbHistory['steps']>().toEqualTypeOf<number[]>();
    expectTypeOf<ArchProbHistory['nodes']>().toEqualTypeOf<
      { candidates: string[]; probs: number[][]; entropy?: number[] | undefined }[]
    >();
  });
  it('LossCurve', () => {
    expectTypeOf<LossCurve['name']>().toEqualTypeOf<string>();
    expectTypeOf<LossCurve['stage']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<LossCurve['points']>().toEqualTypeOf<{ x: number; y: number }[]>();
  });
  it('ReportData', () => {
    expectTypeOf<ReportData['title']>().toEqualTypeOf<string>();
    expectTypeOf<ReportData['meta']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<ReportData['architecture']>().toEqualTypeOf<ArchitectureDrawing | undefined>();
    expectTypeOf<ReportData['archProbs']>().toEqualTypeOf<ArchProbHistory | undefined>();
    expectTypeOf<ReportData['curves']>().toEqualTypeOf<LossCurve[] | undefined>();
    expectTypeOf<ReportData['results']>().toEqualTypeOf<ResultRow[] | undefined>();
    expectTypeOf<ReportData['warnings']>().toEqualTypeOf<string[] | undefined>();
  });
  it('ResultRow', () => {
    expectTypeOf<ResultRow['name']>().toEqualTypeOf<string>();
    expectTypeOf<ResultRow['architecture']>().toEqualTypeOf<string>();
    expectTypeOf<ResultRow['params']>().toEqualTypeOf<number>();
    expectTypeOf<ResultRow['testPer']>().toEqualTypeOf<number>();
    expectTypeOf<ResultRow['sameAs']>().toEqualTypeOf<string | undefined>();
  });
  it('architectureSvg', () => {
    expectTypeOf(architectureSvg).toEqualTypeOf<(a: ArchitectureDrawing) => string>();
  });
  it('escapeHtml', () => {
    expectTypeOf(escapeHtml).toEqualTypeOf<(s: string) => string>();
  });
  it('lineChartSvg', () => {
    // The series type is internal: pin the other parameters and the result.
    expectTypeOf(lineChartSvg).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(lineChartSvg).parameter(2).toEqualTypeOf<
      | {
          width?: number | undefined;
          height?: number | undefined;
          yMin?: number | undefined;
          yMax?: number | undefined;
          title?: string | undefined;
          xLabel?: string | undefined;
          integerX?: boolean | undefined;
        }
      | undefined
    >();
    expectTypeOf(lineChartSvg).returns.toEqualTypeOf<string>();
  });
  it('renderReport', () => {
    expectTypeOf(renderReport).toEqualTypeOf<(d: ReportData) => string>();
  });
  it('RunResults', () => {
    expectTypeOf<RunResults['results']>().toEqualTypeOf<ResultRow[]>();
    expectTypeOf<RunResults['model']>().toEqualTypeOf<string | undefined>();
  });
  it('collectReport', () => {
    expectTypeOf(collectReport).toEqualTypeOf<(out: string, title?: string) => ReportData>();
  });
  it('readArchProbs', () => {
    expectTypeOf(readArchProbs).toEqualTypeOf<
      (searchDir: string, candidates: string[][], maxPoints?: number) => ArchProbHistory | undefined
    >();
  });
  it('writeReport', () => {
    expectTypeOf(writeReport).toEqualTypeOf<(out: string, title?: string | undefined) => string>();
  });
  it('DecisionRule', () => {
    expectTypeOf<DecisionRule['stableEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<DecisionRule['threshold']>().toEqualTypeOf<number>();
  });
  it('UndecidedNode', () => {
    expectTypeOf<UndecidedNode['node']>().toEqualTypeOf<number>();
    expectTypeOf<UndecidedNode['largest']>().toEqualTypeOf<number>();
    expectTypeOf<UndecidedNode['best']>().toEqualTypeOf<number>();
  });
  it('DEFAULT_DECISION_RULE', () => {
    expectTypeOf(DEFAULT_DECISION_RULE).toEqualTypeOf<Readonly<DecisionRule>>();
  });
  it('decisionStop', () => {
    expectTypeOf(decisionStop).toEqualTypeOf<
      (rule: DecisionRule, epochProbs: readonly (readonly (readonly number[])[])[]) => string | undefined
    >();
  });
  it('undecidedNodes', () => {
    expectTypeOf(undecidedNodes).toEqualTypeOf<
      (probs: readonly (readonly number[])[], threshold: number) => UndecidedNode[]
    >();
  });
  it('undecidedWarning', () => {
    expectTypeOf(undecidedWarning).toEqualTypeOf<
      (
        probs: readonly (readonly number[])[],
        candidates: readonly (readonly string[])[],
        threshold: number,
      ) => string | undefined
    >();
  });
  it('entropy', () => {
    expectTypeOf(entropy).toEqualTypeOf<(p: readonly number[]) => number>();
  });
  it('nodeEntropies', () => {
    expectTypeOf(nodeEntropies).toEqualTypeOf<(probs: readonly (readonly number[])[]) => number[]>();
  });
  it('randomArchitecture', () => {
    expectTypeOf(randomArchitecture).toEqualTypeOf<
      (candidates: readonly (readonly string[])[], seed: number) => string[]
    >();
  });
  it('BuildWordLmInputs', () => {
    expectTypeOf<BuildWordLmInputs['text']>().toEqualTypeOf<string>();
    expectTypeOf<BuildWordLmInputs['order']>().toEqualTypeOf<number>();
    expectTypeOf<BuildWordLmInputs['out']>().toEqualTypeOf<string>();
    expectTypeOf<BuildWordLmInputs['dev']>().toEqualTypeOf<string | undefined>();
  });
  it('BuildWordLmResult', () => {
    expectTypeOf<BuildWordLmResult['out']>().toEqualTypeOf<string>();
    expectTypeOf<BuildWordLmResult['order']>().toEqualTypeOf<number>();
    expectTypeOf<BuildWordLmResult['ngrams']>().toEqualTypeOf<number[]>();
    expectTypeOf<BuildWordLmResult['sentences']>().toEqualTypeOf<number>();
    expectTypeOf<BuildWordLmResult['devPerplexity']>().toEqualTypeOf<number | undefined>();
  });
  it('buildWordLm', () => {
    expectTypeOf(buildWordLm).toEqualTypeOf<(i: BuildWordLmInputs) => Promise<BuildWordLmResult>>();
  });
  it('DecodeInputs', () => {
    expectTypeOf<DecodeInputs['model']>().toEqualTypeOf<string>();
    expectTypeOf<DecodeInputs['data']>().toEqualTypeOf<string>();
    expectTypeOf<DecodeInputs['lexicon']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DecodeInputs['beam']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeInputs['lm']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DecodeInputs['lmWeight']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeInputs['writeLogits']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DecodeInputs['batchSize']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DecodeInputs['batchFrames']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DecodeInputs['maxUtts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DecodeInputs['onLogProbs']>().toEqualTypeOf<
      | ((
          keys: readonly string[],
          logProbs: { data: Float32Array<ArrayBufferLike>; shape: [number, number, number] },
          lengths: ArrayLike<number>,
        ) => void)
      | undefined
    >();
  });
  it('DecodeResult', () => {
    expectTypeOf<DecodeResult['per']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeResult['utterances']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeResult['oov']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeResult['errors']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeResult['substitutions']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeResult['deletions']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeResult['insertions']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeResult['refPhones']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeResult['perUtterance']>().toEqualTypeOf<
      { key: string; errors: number; refPhones: number }[]
    >();
  });
  it('lmVocabulary', () => {
    expectTypeOf(lmVocabulary).toEqualTypeOf<
      (lmWords: readonly string[], unitNames: readonly string[], file: string) => string[] | undefined
    >();
  });
  it('readModelManifest', () => {
    expectTypeOf(readModelManifest).toEqualTypeOf<(dir: string) => ModelManifest>();
  });
  it('runDecode', () => {
    expectTypeOf(runDecode).toEqualTypeOf<(i: DecodeInputs) => Promise<DecodeResult>>();
  });
  it('DemoInputs', () => {
    expectTypeOf<DemoInputs['corpus']>().toEqualTypeOf<string>();
    expectTypeOf<DemoInputs['out']>().toEqualTypeOf<string>();
    expectTypeOf<DemoInputs['seed']>().toEqualTypeOf<number>();
    expectTypeOf<DemoInputs['quick']>().toEqualTypeOf<boolean>();
    expectTypeOf<DemoInputs['progress']>().toEqualTypeOf<ProgressSink>();
    expectTypeOf<DemoInputs['log']>().toEqualTypeOf<(line: string) => void>();
    expectTypeOf<DemoInputs['decision']>().toEqualTypeOf<DecisionRule | undefined>();
    expectTypeOf<DemoInputs['searchEpochs']>().toEqualTypeOf<number | undefined>();
  });
  it('DemoPlan', () => {
    expectTypeOf<DemoPlan['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<DemoPlan['lr']>().toEqualTypeOf<number>();
    expectTypeOf<DemoPlan['maxUtts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DemoPlan['stepsPerEpoch']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DemoPlan['warmupEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<DemoPlan['warmupMinEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<DemoPlan['searchEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<DemoPlan['retrainEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<DemoPlan['retrainMinEpochs']>().toEqualTypeOf<number>();
  });
  it('DemoResult', () => {
    expectTypeOf<DemoResult['model']>().toEqualTypeOf<string>();
    expectTypeOf<DemoResult['table']>().toEqualTypeOf<string>();
    expectTypeOf<DemoResult['report']>().toEqualTypeOf<string>();
    expectTypeOf<DemoResult['architectureProbs']>().toEqualTypeOf<number[][]>();
    expectTypeOf<DemoResult['warning']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DemoResult['results']>().toEqualTypeOf<ResultRow[]>();
  });
  it('baselineOps', () => {
    expectTypeOf(baselineOps).toEqualTypeOf<
      (candidates: readonly string[]) => { small: string; large: string }
    >();
  });
  it('demoPlan', () => {
    expectTypeOf(demoPlan).toEqualTypeOf<(quick: boolean) => DemoPlan>();
  });
  it('formatResults', () => {
    expectTypeOf(formatResults).toEqualTypeOf<(rows: readonly ResultRow[]) => string>();
  });
  it('runDemo', () => {
    expectTypeOf(runDemo).toEqualTypeOf<(i: DemoInputs) => Promise<DemoResult>>();
  });
  it('PipelineInputs', () => {
    expectTypeOf<PipelineInputs['test']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineInputs['retrainMinEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['lrFloor']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['beam']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['epochs']>().toEqualTypeOf<
      { warmup?: number | undefined; search?: number | undefined; retrain?: number | undefined } | undefined
    >();
    expectTypeOf<PipelineInputs['minEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['minLossImprove']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['config']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<PipelineInputs['data']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineInputs['dev']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineInputs['lexicon']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineInputs['units']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineInputs['out']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineInputs['seed']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['batchFrames']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PipelineInputs['lr']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['maxEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['stepsPerEpoch']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PipelineInputs['checkpointEvery']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['maxUtts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PipelineInputs['maxStepsThisRun']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PipelineInputs['pipeline']>().toEqualTypeOf<FeaturePipeline | undefined>();
    expectTypeOf<PipelineInputs['progress']>().toEqualTypeOf<ProgressSink>();
    expectTypeOf<PipelineInputs['log']>().toEqualTypeOf<(line: string) => void>();
    expectTypeOf<PipelineInputs['onBatch']>().toEqualTypeOf<
      ((role: 'train' | 'heldOut' | 'dev', batch: Batch) => void) | undefined
    >();
    expectTypeOf<PipelineInputs['loss']>().toEqualTypeOf<LossKind | undefined>();
    expectTypeOf<PipelineInputs['crfLambda']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PipelineInputs['crfOrder']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PipelineInputs['specAugment']>().toEqualTypeOf<SpecAugmentConfig | undefined>();
    expectTypeOf<PipelineInputs['speedPerturb']>().toEqualTypeOf<number[] | undefined>();
    expectTypeOf<PipelineInputs['estimator']>().toEqualTypeOf<EstimatorName>();
    expectTypeOf<PipelineInputs['heldOutRatio']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['archLr']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['decision']>().toEqualTypeOf<DecisionRule | undefined>();
  });
  it('PipelineResult', () => {
    expectTypeOf<PipelineResult['modelDir']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineResult['architecture']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineResult['params']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineResult['test']>().toEqualTypeOf<DecodeResult>();
    expectTypeOf<PipelineResult['report']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineResult['warning']>().toEqualTypeOf<string | undefined>();
  });
  it('pinConfig', () => {
    expectTypeOf(pinConfig).toEqualTypeOf<(out: string, config: StnasConfig) => void>();
  });
  it('runPipeline', () => {
    expectTypeOf(runPipeline).toEqualTypeOf<(i: PipelineInputs) => Promise<PipelineResult>>();
  });
  it('ModelManifest', () => {
    expectTypeOf<ModelManifest['format']>().toEqualTypeOf<'stnas-model-1'>();
    expectTypeOf<ModelManifest['config']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<ModelManifest['architecture']>().toEqualTypeOf<string>();
    expectTypeOf<ModelManifest['params']>().toEqualTypeOf<number>();
    expectTypeOf<ModelManifest['pipeline']>().toEqualTypeOf<FeaturePipeline>();
    expectTypeOf<ModelManifest['lexicon']>().toEqualTypeOf<string>();
    expectTypeOf<ModelManifest['units']>().toEqualTypeOf<string>();
    expectTypeOf<ModelManifest['weights']>().toEqualTypeOf<string>();
    expectTypeOf<ModelManifest['bestEpoch']>().toEqualTypeOf<number>();
    expectTypeOf<ModelManifest['devLoss']>().toEqualTypeOf<number>();
    expectTypeOf<ModelManifest['seed']>().toEqualTypeOf<number>();
    expectTypeOf<ModelManifest['training']>().toEqualTypeOf<RunTrainingConfig | undefined>();
  });
  it('RetrainInputs', () => {
    expectTypeOf<RetrainInputs['architecture']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<RetrainInputs['name']>().toEqualTypeOf<string>();
    expectTypeOf<RetrainInputs['minEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainInputs['lrFloor']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainInputs['config']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<RetrainInputs['data']>().toEqualTypeOf<string>();
    expectTypeOf<RetrainInputs['dev']>().toEqualTypeOf<string>();
    expectTypeOf<RetrainInputs['lexicon']>().toEqualTypeOf<string>();
    expectTypeOf<RetrainInputs['units']>().toEqualTypeOf<string>();
    expectTypeOf<RetrainInputs['out']>().toEqualTypeOf<string>();
    expectTypeOf<RetrainInputs['seed']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainInputs['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainInputs['batchFrames']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RetrainInputs['lr']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainInputs['maxEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainInputs['stepsPerEpoch']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RetrainInputs['checkpointEvery']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainInputs['maxUtts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RetrainInputs['maxStepsThisRun']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RetrainInputs['pipeline']>().toEqualTypeOf<FeaturePipeline | undefined>();
    expectTypeOf<RetrainInputs['progress']>().toEqualTypeOf<ProgressSink>();
    expectTypeOf<RetrainInputs['log']>().toEqualTypeOf<(line: string) => void>();
    expectTypeOf<RetrainInputs['onBatch']>().toEqualTypeOf<
      ((role: 'train' | 'heldOut' | 'dev', batch: Batch) => void) | undefined
    >();
    expectTypeOf<RetrainInputs['loss']>().toEqualTypeOf<LossKind | undefined>();
    expectTypeOf<RetrainInputs['crfLambda']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RetrainInputs['crfOrder']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RetrainInputs['specAugment']>().toEqualTypeOf<SpecAugmentConfig | undefined>();
    expectTypeOf<RetrainInputs['speedPerturb']>().toEqualTypeOf<number[] | undefined>();
  });
  it('configOps', () => {
    expectTypeOf(configOps).toEqualTypeOf<(config: StnasConfig) => string[]>();
  });
  it('configWithOps', () => {
    expectTypeOf(configWithOps).toEqualTypeOf<(config: StnasConfig, ops: readonly string[]) => StnasConfig>();
  });
  it('runRetrain', () => {
    expectTypeOf(runRetrain).toEqualTypeOf<
      (i: RetrainInputs) => Promise<{ loop: LoopResult; modelDir: string; manifest: ModelManifest }>
    >();
  });
  it('searchedArchitecture', () => {
    expectTypeOf(searchedArchitecture).toEqualTypeOf<(out: string) => StnasConfig>();
  });
  it('DerivedArchitecture', () => {
    expectTypeOf<DerivedArchitecture['config']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<DerivedArchitecture['ops']>().toEqualTypeOf<string[]>();
    expectTypeOf<DerivedArchitecture['probs']>().toEqualTypeOf<number[][]>();
    expectTypeOf<DerivedArchitecture['entropy']>().toEqualTypeOf<number[] | undefined>();
    expectTypeOf<DerivedArchitecture['candidates']>().toEqualTypeOf<string[][] | undefined>();
    expectTypeOf<DerivedArchitecture['estimator']>().toEqualTypeOf<EstimatorName>();
    expectTypeOf<DerivedArchitecture['decision']>().toEqualTypeOf<DecisionRule | undefined>();
    expectTypeOf<DerivedArchitecture['stopReason']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DerivedArchitecture['warning']>().toEqualTypeOf<string | undefined>();
  });
  it('SearchInputs', () => {
    expectTypeOf<SearchInputs['estimator']>().toEqualTypeOf<EstimatorName>();
    expectTypeOf<SearchInputs['heldOutRatio']>().toEqualTypeOf<number>();
    expectTypeOf<SearchInputs['archLr']>().toEqualTypeOf<number>();
    expectTypeOf<SearchInputs['decision']>().toEqualTypeOf<DecisionRule | undefined>();
    expectTypeOf<SearchInputs['config']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<SearchInputs['data']>().toEqualTypeOf<string>();
    expectTypeOf<SearchInputs['dev']>().toEqualTypeOf<string>();
    expectTypeOf<SearchInputs['lexicon']>().toEqualTypeOf<string>();
    expectTypeOf<SearchInputs['units']>().toEqualTypeOf<string>();
    expectTypeOf<SearchInputs['out']>().toEqualTypeOf<string>();
    expectTypeOf<SearchInputs['seed']>().toEqualTypeOf<number>();
    expectTypeOf<SearchInputs['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<SearchInputs['batchFrames']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SearchInputs['lr']>().toEqualTypeOf<number>();
    expectTypeOf<SearchInputs['maxEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<SearchInputs['stepsPerEpoch']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SearchInputs['checkpointEvery']>().toEqualTypeOf<number>();
    expectTypeOf<SearchInputs['maxUtts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SearchInputs['maxStepsThisRun']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SearchInputs['pipeline']>().toEqualTypeOf<FeaturePipeline | undefined>();
    expectTypeOf<SearchInputs['progress']>().toEqualTypeOf<ProgressSink>();
    expectTypeOf<SearchInputs['log']>().toEqualTypeOf<(line: string) => void>();
    expectTypeOf<SearchInputs['onBatch']>().toEqualTypeOf<
      ((role: 'train' | 'heldOut' | 'dev', batch: Batch) => void) | undefined
    >();
    expectTypeOf<SearchInputs['loss']>().toEqualTypeOf<LossKind | undefined>();
    expectTypeOf<SearchInputs['crfLambda']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SearchInputs['crfOrder']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SearchInputs['specAugment']>().toEqualTypeOf<SpecAugmentConfig | undefined>();
    expectTypeOf<SearchInputs['speedPerturb']>().toEqualTypeOf<number[] | undefined>();
  });
  it('runSearch', () => {
    expectTypeOf(runSearch).toEqualTypeOf<
      (i: SearchInputs) => Promise<{ loop: LoopResult; derived: DerivedArchitecture | undefined }>
    >();
  });
  it('SEARCH_ESTIMATORS', () => {
    expectTypeOf(SEARCH_ESTIMATORS).toEqualTypeOf<readonly EstimatorName[]>();
  });
  it('searchDir', () => {
    expectTypeOf(searchDir).toEqualTypeOf<(out: string) => string>();
  });
  it('StageData', () => {
    expectTypeOf<StageData['lexicon']>().toEqualTypeOf<Lexicon>();
    expectTypeOf<StageData['units']>().toEqualTypeOf<Units>();
    expectTypeOf<StageData['train']>().toEqualTypeOf<StageSet>();
    expectTypeOf<StageData['dev']>().toEqualTypeOf<StageSet>();
    expectTypeOf<StageData['pipeline']>().toEqualTypeOf<FeaturePipeline>();
    expectTypeOf<StageData['close']>().toEqualTypeOf<() => Promise<void>>();
  });
  it('StageInputs', () => {
    expectTypeOf<StageInputs['config']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<StageInputs['data']>().toEqualTypeOf<string>();
    expectTypeOf<StageInputs['dev']>().toEqualTypeOf<string>();
    expectTypeOf<StageInputs['lexicon']>().toEqualTypeOf<string>();
    expectTypeOf<StageInputs['units']>().toEqualTypeOf<string>();
    expectTypeOf<StageInputs['out']>().toEqualTypeOf<string>();
    expectTypeOf<StageInputs['seed']>().toEqualTypeOf<number>();
    expectTypeOf<StageInputs['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<StageInputs['batchFrames']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<StageInputs['lr']>().toEqualTypeOf<number>();
    expectTypeOf<StageInputs['maxEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<StageInputs['stepsPerEpoch']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<StageInputs['checkpointEvery']>().toEqualTypeOf<number>();
    expectTypeOf<StageInputs['maxUtts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<StageInputs['maxStepsThisRun']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<StageInputs['pipeline']>().toEqualTypeOf<FeaturePipeline | undefined>();
    expectTypeOf<StageInputs['progress']>().toEqualTypeOf<ProgressSink>();
    expectTypeOf<StageInputs['log']>().toEqualTypeOf<(line: string) => void>();
    expectTypeOf<StageInputs['onBatch']>().toEqualTypeOf<
      ((role: 'train' | 'heldOut' | 'dev', batch: Batch) => void) | undefined
    >();
    expectTypeOf<StageInputs['loss']>().toEqualTypeOf<LossKind | undefined>();
    expectTypeOf<StageInputs['crfLambda']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<StageInputs['crfOrder']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<StageInputs['specAugment']>().toEqualTypeOf<SpecAugmentConfig | undefined>();
    expectTypeOf<StageInputs['speedPerturb']>().toEqualTypeOf<number[] | undefined>();
  });
  it('batchLoss', () => {
    expectTypeOf(batchLoss).toEqualTypeOf<
      (model: SearchSpaceModel, batch: Batch, opts: ApplyOptions) => Scalar
    >();
  });
  it('evaluateLoss', () => {
    expectTypeOf(evaluateLoss).toEqualTypeOf<
      (
        model: SearchSpaceModel,
        batches: Iterable<Batch> | AsyncIterable<Batch>,
        opts: () => ApplyOptions,
      ) => Promise<number>
    >();
  });
  it('loadStageData', () => {
    expectTypeOf(loadStageData).toEqualTypeOf<(i: StageInputs) => Promise<StageData>>();
  });
  it('modelVariables', () => {
    expectTypeOf(modelVariables).toEqualTypeOf<(model: SearchSpaceModel) => Map<string, Variable<Rank>>>();
  });
  it('DevLoss', () => {
    expectTypeOf<DevLoss['loss']>().toEqualTypeOf<number>();
    expectTypeOf<DevLoss['infinite']>().toEqualTypeOf<number>();
    expectTypeOf<DevLoss['utterances']>().toEqualTypeOf<number>();
    expectTypeOf<DevLoss['ctc']>().toEqualTypeOf<number | undefined>();
  });
  it('StageObjective', () => {
    expectTypeOf<StageObjective['loss']>().toEqualTypeOf<LossKind>();
    expectTypeOf<StageObjective['batchLoss']>().toEqualTypeOf<
      (model: SearchSpaceModel, batch: Batch, opts: ApplyOptions) => Scalar
    >();
    expectTypeOf<StageObjective['evaluate']>().toEqualTypeOf<
      (model: SearchSpaceModel, batches: Batches, opts: () => ApplyOptions) => Promise<DevLoss>
    >();
  });
  it('createObjective', () => {
    expectTypeOf(createObjective).toEqualTypeOf<
      (config: RunTrainingConfig, denominator?: DenominatorGraph | undefined) => StageObjective
    >();
  });
  it('PHONE_LM_FILE', () => {
    expectTypeOf(PHONE_LM_FILE).toEqualTypeOf<string>();
  });
  it('setupStage', () => {
    expectTypeOf(setupStage).toEqualTypeOf<
      (
        i: StageInputs,
        stage: string,
        dir: string,
        d: StageData,
      ) => Promise<{
        config: RunTrainingConfig;
        objective: StageObjective;
        evaluate: (model: SearchSpaceModel, batches: Batches, opts: () => ApplyOptions) => Promise<DevLoss>;
      }>
    >();
  });
  it('stageDenominator', () => {
    expectTypeOf(stageDenominator).toEqualTypeOf<
      (
        dir: string,
        trainLabels: Iterable<Int32Array<ArrayBufferLike>>,
        o: { order: number; numClasses: number; resume: boolean },
      ) => Promise<DenominatorGraph>
    >();
  });
  it('WarmupInputs', () => {
    expectTypeOf<WarmupInputs['minEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<WarmupInputs['minLossImprove']>().toEqualTypeOf<number>();
    expectTypeOf<WarmupInputs['config']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<WarmupInputs['data']>().toEqualTypeOf<string>();
    expectTypeOf<WarmupInputs['dev']>().toEqualTypeOf<string>();
    expectTypeOf<WarmupInputs['lexicon']>().toEqualTypeOf<string>();
    expectTypeOf<WarmupInputs['units']>().toEqualTypeOf<string>();
    expectTypeOf<WarmupInputs['out']>().toEqualTypeOf<string>();
    expectTypeOf<WarmupInputs['seed']>().toEqualTypeOf<number>();
    expectTypeOf<WarmupInputs['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<WarmupInputs['batchFrames']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WarmupInputs['lr']>().toEqualTypeOf<number>();
    expectTypeOf<WarmupInputs['maxEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<WarmupInputs['stepsPerEpoch']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WarmupInputs['checkpointEvery']>().toEqualTypeOf<number>();
    expectTypeOf<WarmupInputs['maxUtts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WarmupInputs['maxStepsThisRun']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WarmupInputs['pipeline']>().toEqualTypeOf<FeaturePipeline | undefined>();
    expectTypeOf<WarmupInputs['progress']>().toEqualTypeOf<ProgressSink>();
    expectTypeOf<WarmupInputs['log']>().toEqualTypeOf<(line: string) => void>();
    expectTypeOf<WarmupInputs['onBatch']>().toEqualTypeOf<
      ((role: 'train' | 'heldOut' | 'dev', batch: Batch) => void) | undefined
    >();
    expectTypeOf<WarmupInputs['loss']>().toEqualTypeOf<LossKind | undefined>();
    expectTypeOf<WarmupInputs['crfLambda']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WarmupInputs['crfOrder']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WarmupInputs['specAugment']>().toEqualTypeOf<SpecAugmentConfig | undefined>();
    expectTypeOf<WarmupInputs['speedPerturb']>().toEqualTypeOf<number[] | undefined>();
  });
  it('runWarmup', () => {
    expectTypeOf(runWarmup).toEqualTypeOf<(i: WarmupInputs) => Promise<LoopResult>>();
  });
  it('warmupDir', () => {
    expectTypeOf(warmupDir).toEqualTypeOf<(out: string) => string>();
  });
  it('Posteriors', () => {
    expectTypeOf<Posteriors['keys']>().toEqualTypeOf<string[]>();
    expectTypeOf<Posteriors['logProbs']>().toEqualTypeOf<Float32Array<ArrayBufferLike>[]>();
    expectTypeOf<Posteriors['frames']>().toEqualTypeOf<number[]>();
    expectTypeOf<Posteriors['classes']>().toEqualTypeOf<number>();
  });
  it('TuningPoint', () => {
    expectTypeOf<TuningPoint['lmWeight']>().toEqualTypeOf<number>();
    expectTypeOf<TuningPoint['wordBonus']>().toEqualTypeOf<number>();
    expectTypeOf<TuningPoint['wer']>().toEqualTypeOf<number>();
  });
  it('WordDecodeInputs', () => {
    expectTypeOf<WordDecodeInputs['wordLm']>().toEqualTypeOf<string>();
    expectTypeOf<WordDecodeInputs['wordLmWeight']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordDecodeInputs['wordBonus']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordDecodeInputs['wordBeam']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordDecodeInputs['tuneDev']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<WordDecodeInputs['tuningFile']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<WordDecodeInputs['model']>().toEqualTypeOf<string>();
    expectTypeOf<WordDecodeInputs['data']>().toEqualTypeOf<string>();
    expectTypeOf<WordDecodeInputs['lexicon']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<WordDecodeInputs['beam']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeInputs['lm']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<WordDecodeInputs['lmWeight']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeInputs['writeLogits']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<WordDecodeInputs['batchSize']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordDecodeInputs['batchFrames']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordDecodeInputs['maxUtts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordDecodeInputs['onLogProbs']>().toEqualTypeOf<
      | ((
          keys: readonly string[],
          logProbs: { data: Float32Array<ArrayBufferLike>; shape: [number, number, number] },
          lengths: ArrayLike<number>,
        ) => void)
      | undefined
    >();
  });
  it('WordDecodeResult', () => {
    expectTypeOf<WordDecodeResult['wer']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['wordErrors']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['refWords']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['wordSearch']>().toEqualTypeOf<WordSearchSettings>();
    expectTypeOf<WordDecodeResult['tuning']>().toEqualTypeOf<WordLmTuning | undefined>();
    expectTypeOf<WordDecodeResult['per']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['utterances']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['oov']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['errors']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['substitutions']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['deletions']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['insertions']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['refPhones']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['perUtterance']>().toEqualTypeOf<
      { key: string; errors: number; refPhones: number }[]
    >();
  });
  it('WordLexicon', () => {
    expectTypeOf<WordLexicon>().toEqualTypeOf<Map<string, number[][]>>();
  });
  it('WordLmTuning', () => {
    expectTypeOf<WordLmTuning['dev']>().toEqualTypeOf<string>();
    expectTypeOf<WordLmTuning['wer']>().toEqualTypeOf<number>();
    expectTypeOf<WordLmTuning['grid']>().toEqualTypeOf<TuningPoint[]>();
    expectTypeOf<WordLmTuning['lmWeight']>().toEqualTypeOf<number>();
    expectTypeOf<WordLmTuning['wordBonus']>().toEqualTypeOf<number>();
    expectTypeOf<WordLmTuning['beam']>().toEqualTypeOf<number>();
  });
  it('WordSearchSettings', () => {
    expectTypeOf<WordSearchSettings['lmWeight']>().toEqualTypeOf<number>();
    expectTypeOf<WordSearchSettings['wordBonus']>().toEqualTypeOf<number>();
    expectTypeOf<WordSearchSettings['beam']>().toEqualTypeOf<number>();
  });
  it('DEFAULT_TUNING_GRID', () => {
    expectTypeOf(DEFAULT_TUNING_GRID).toEqualTypeOf<{
      readonly lmWeights: readonly [0.25, 0.5, 1, 1.5, 2];
      readonly wordBonuses: readonly [-1, 0, 1, 2];
    }>();
  });
  it('readTranscripts', () => {
    expectTypeOf(readTranscripts).toEqualTypeOf<(file: string) => Map<string, string[]>>();
  });
  it('readWordLexicon', () => {
    expectTypeOf(readWordLexicon).toEqualTypeOf<(file: string, units: Units) => WordLexicon>();
  });
  it('runWordDecode', () => {
    expectTypeOf(runWordDecode).toEqualTypeOf<(i: WordDecodeInputs) => Promise<WordDecodeResult>>();
  });
  it('searchWords', () => {
    expectTypeOf(searchWords).toEqualTypeOf<
      (post: Posteriors, lexicon: WordLexicon, lm: ArpaModel, s: WordSearchSettings) => string[][]
    >();
  });
  it('tuneWordSearch', () => {
    expectTypeOf(tuneWordSearch).toEqualTypeOf<
      (
        post: Posteriors,
        transcripts: Map<string, string[]>,
        lexicon: WordLexicon,
        lm: ArpaModel,
        o: {
          beam: number;
          dev: string;
          grid?: { lmWeights: readonly number[]; wordBonuses: readonly number[] } | undefined;
        },
      ) => WordLmTuning
    >();
  });
  it('Adam', () => {
    expectTypeOf<Adam['options']>().toEqualTypeOf<Required<AdamOptions>>();
    expectTypeOf<Adam['init']>().toEqualTypeOf<() => AdamState>();
    expectTypeOf<Adam['update']>().toEqualTypeOf<
      (
        variables: readonly Variable<Rank>[],
        grads: Record<string, Tensor<Rank>>,
        state: AdamState,
        lr?: number | undefined,
      ) => void
    >();
  });
  it('AdamOptions', () => {
    expectTypeOf<AdamOptions['lr']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AdamOptions['beta1']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AdamOptions['beta2']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AdamOptions['eps']>().toEqualTypeOf<number | undefined>();
  });
  it('AdamSlot', () => {
    expectTypeOf<AdamSlot['step']>().toEqualTypeOf<number>();
    expectTypeOf<AdamSlot['m']>().toEqualTypeOf<Tensor<Rank>>();
    expectTypeOf<AdamSlot['v']>().toEqualTypeOf<Tensor<Rank>>();
  });
  it('AdamState', () => {
    expectTypeOf<AdamState['slots']>().toEqualTypeOf<Map<string, AdamSlot>>();
  });
  it('AdamStateData', () => {});
  it('adamStateFromData', () => {
    expectTypeOf(adamStateFromData).toEqualTypeOf<(data: AdamStateData) => AdamState>();
  });
  it('adamStateToData', () => {
    expectTypeOf(adamStateToData).toEqualTypeOf<(state: AdamState) => AdamStateData>();
  });
  it('createAdam', () => {
    expectTypeOf(createAdam).toEqualTypeOf<(options?: AdamOptions) => Adam>();
  });
  it('disposeAdamState', () => {
    expectTypeOf(disposeAdamState).toEqualTypeOf<(state: AdamState) => void>();
  });
  // Checkpoint is generic: pinned through the functions that use it.
  it('CheckpointArray', () => {
    expectTypeOf<CheckpointArray['shape']>().toEqualTypeOf<number[]>();
    expectTypeOf<CheckpointArray['data']>().toEqualTypeOf<Float32Array<ArrayBufferLike>>();
  });
  it('CheckpointError', () => {
    expectTypeOf<CheckpointError['name']>().toEqualTypeOf<string>();
  });
  it('readCheckpoint', () => {
    expectTypeOf(readCheckpoint).toEqualTypeOf<<S = unknown>(file: string) => Checkpoint<S>>();
  });
  it('writeCheckpoint', () => {
    expectTypeOf(writeCheckpoint).toEqualTypeOf<<S>(file: string, ckpt: Checkpoint<S>) => void>();
  });
  it('writeFileAtomic', () => {
    expectTypeOf(writeFileAtomic).toEqualTypeOf<(file: string, text: string) => void>();
  });
  it('PlateauDecision', () => {
    expectTypeOf<PlateauDecision['state']>().toEqualTypeOf<PlateauState>();
    expectTypeOf<PlateauDecision['saveBest']>().toEqualTypeOf<boolean>();
    expectTypeOf<PlateauDecision['decayed']>().toEqualTypeOf<boolean>();
  });
  it('PlateauOptions', () => {
    expectTypeOf<PlateauOptions['lr']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauOptions['minEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauOptions['patience']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauOptions['factor']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauOptions['floor']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauOptions['minImprove']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauOptions['resetAfterDecay']>().toEqualTypeOf<boolean>();
    expectTypeOf<PlateauOptions['maxEpochs']>().toEqualTypeOf<number>();
  });
  it('PlateauState', () => {
    expectTypeOf<PlateauState['epoch']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauState['lr']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauState['best']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauState['bestEpoch']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauState['reference']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauState['bad']>().toEqualTypeOf<number>();
    expectTypeOf<PlateauState['stopped']>().toEqualTypeOf<boolean>();
    expectTypeOf<PlateauState['reason']>().toEqualTypeOf<string | undefined>();
  });
  it('plateauInit', () => {
    expectTypeOf(plateauInit).toEqualTypeOf<(o: PlateauOptions) => PlateauState>();
  });
  it('plateauStep', () => {
    expectTypeOf(plateauStep).toEqualTypeOf<
      (o: PlateauOptions, s: PlateauState, loss: number) => PlateauDecision
    >();
  });
  it('retrainSchedule', () => {
    expectTypeOf(retrainSchedule).toEqualTypeOf<
      (p?: {
        lr?: number | undefined;
        minEpochs?: number | undefined;
        floor?: number | undefined;
        maxEpochs?: number | undefined;
      }) => PlateauOptions
    >();
  });
  it('searchSchedule', () => {
    expectTypeOf(searchSchedule).toEqualTypeOf<
      (p?: {
        lr?: number | undefined;
        minEpochs?: number | undefined;
        maxEpochs?: number | undefined;
      }) => PlateauOptions
    >();
  });
  it('warmupSchedule', () => {
    expectTypeOf(warmupSchedule).toEqualTypeOf<
      (p?: {
        lr?: number | undefined;
        minEpochs?: number | undefined;
        minLossImprove?: number | undefined;
        maxEpochs?: number | undefined;
      }) => PlateauOptions
    >();
  });
  it('Progress', () => {
    expectTypeOf<Progress['update']>().toEqualTypeOf<(u: ProgressUpdate) => void>();
    expectTypeOf<Progress['finish']>().toEqualTypeOf<(message?: string | undefined) => void>();
  });
  it('ProgressSink', () => {
    expectTypeOf<ProgressSink['write']>().toEqualTypeOf<(text: string) => void>();
    expectTypeOf<ProgressSink['isTTY']>().toEqualTypeOf<boolean>();
    expectTypeOf<ProgressSink['columns']>().toEqualTypeOf<number | undefined>();
  });
  it('ProgressUpdate', () => {
    expectTypeOf<ProgressUpdate['done']>().toEqualTypeOf<number>();
    expectTypeOf<ProgressUpdate['frames']>().toEqualTypeOf<number>();
    expectTypeOf<ProgressUpdate['loss']>().toEqualTypeOf<number | undefined>();
  });
  it('createProgress', () => {
    expectTypeOf(createProgress).toEqualTypeOf<
      (
        label: string,
        total: number,
        sink: ProgressSink,
        options?: { every?: number | undefined; now?: (() => number) | undefined },
      ) => Progress
    >();
  });
  it('formatDuration', () => {
    expectTypeOf(formatDuration).toEqualTypeOf<(seconds: number) => string>();
  });
  it('progressText', () => {
    expectTypeOf(progressText).toEqualTypeOf<
      (label: string, total: number, u: ProgressUpdate, elapsedSec: number) => string
    >();
  });
  it('SafeUpdateResult', () => {
    expectTypeOf<SafeUpdateResult['loss']>().toEqualTypeOf<number>();
    expectTypeOf<SafeUpdateResult['skipped']>().toEqualTypeOf<string | undefined>();
  });
  it('safeUpdate', () => {
    expectTypeOf(safeUpdate).toEqualTypeOf<
      (
        lossFn: () => Scalar,
        variables: readonly Variable<Rank>[],
        adam: Adam,
        state: AdamState,
        lr: number,
      ) => SafeUpdateResult
    >();
  });
  it('EpochRecord', () => {
    expectTypeOf<EpochRecord['epoch']>().toEqualTypeOf<number>();
    expectTypeOf<EpochRecord['trainLoss']>().toEqualTypeOf<number>();
    expectTypeOf<EpochRecord['devLoss']>().toEqualTypeOf<number>();
    expectTypeOf<EpochRecord['lr']>().toEqualTypeOf<number>();
    expectTypeOf<EpochRecord['skipped']>().toEqualTypeOf<number>();
    expectTypeOf<EpochRecord['framesPerSecond']>().toEqualTypeOf<number>();
    expectTypeOf<EpochRecord['archProbs']>().toEqualTypeOf<number[][] | undefined>();
    expectTypeOf<EpochRecord['devInfinite']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<EpochRecord['devUtterances']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<EpochRecord['devCtcLoss']>().toEqualTypeOf<number | undefined>();
  });
  it('LoopOptimizer', () => {
    expectTypeOf<LoopOptimizer['name']>().toEqualTypeOf<string>();
    expectTypeOf<LoopOptimizer['adam']>().toEqualTypeOf<Adam>();
    expectTypeOf<LoopOptimizer['state']>().toEqualTypeOf<AdamState>();
  });
  it('LoopResult', () => {
    expectTypeOf<LoopResult['state']>().toEqualTypeOf<LoopState>();
    expectTypeOf<LoopResult['finished']>().toEqualTypeOf<boolean>();
    expectTypeOf<LoopResult['resumed']>().toEqualTypeOf<boolean>();
  });
  it('LoopSpec', () => {
    expectTypeOf<LoopSpec['stage']>().toEqualTypeOf<string>();
    expectTypeOf<LoopSpec['dir']>().toEqualTypeOf<string>();
    expectTypeOf<LoopSpec['schedule']>().toEqualTypeOf<PlateauOptions>();
    expectTypeOf<LoopSpec['rng']>().toEqualTypeOf<Rng>();
    expectTypeOf<LoopSpec['batches']>().toEqualTypeOf<number>();
    expectTypeOf<LoopSpec['epochOrder']>().toEqualTypeOf<((epoch: number) => number[]) | undefined>();
    expectTypeOf<LoopSpec['stepsPerEpoch']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LoopSpec['variables']>().toEqualTypeOf<ReadonlyMap<string, Variable<Rank>>>();
    expectTypeOf<LoopSpec['optimizers']>().toEqualTypeOf<LoopOptimizer[]>();
    expectTypeOf<LoopSpec['trainStep']>().toEqualTypeOf<
      (
        b: number,
        ctx: { rng: Rng; lr: number; step: number; next: number | undefined },
      ) => StepOutcome | Promise<StepOutcome>
    >();
    expectTypeOf<LoopSpec['evaluate']>().toEqualTypeOf<
      (ctx: { rng: Rng; epoch: number }) => number | DevEvaluation | Promise<number | DevEvaluation>
    >();
    expectTypeOf<LoopSpec['stepLog']>().toEqualTypeOf<((step: number) => unknown) | undefined>();
    expectTypeOf<LoopSpec['archProbs']>().toEqualTypeOf<(() => number[][]) | undefined>();
    expectTypeOf<LoopSpec['stopRule']>().toEqualTypeOf<
      ((history: readonly EpochRecord[]) => string | undefined) | undefined
    >();
    expectTypeOf<LoopSpec['onStep']>().toEqualTypeOf<
      ((s: LoopState, outcome: StepOutcome) => void) | undefined
    >();
    expectTypeOf<LoopSpec['onEpochStart']>().toEqualTypeOf<((s: LoopState) => void) | undefined>();
    expectTypeOf<LoopSpec['onEpoch']>().toEqualTypeOf<((r: EpochRecord, s: LoopState) => void) | undefined>();
    expectTypeOf<LoopSpec['checkpointEvery']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LoopSpec['beforeStep']>().toEqualTypeOf<((step: number) => void) | undefined>();
    expectTypeOf<LoopSpec['maxStepsThisRun']>().toEqualTypeOf<number | undefined>();
  });
  it('LoopState', () => {
    expectTypeOf<LoopState['stage']>().toEqualTypeOf<string>();
    expectTypeOf<LoopState['step']>().toEqualTypeOf<number>();
    expectTypeOf<LoopState['order']>().toEqualTypeOf<number[]>();
    expectTypeOf<LoopState['pos']>().toEqualTypeOf<number>();
    expectTypeOf<LoopState['rng']>().toEqualTypeOf<RngState>();
    expectTypeOf<LoopState['schedule']>().toEqualTypeOf<PlateauState>();
    expectTypeOf<LoopState['sumLoss']>().toEqualTypeOf<number>();
    expectTypeOf<LoopState['applied']>().toEqualTypeOf<number>();
    expectTypeOf<LoopState['skipped']>().toEqualTypeOf<number>();
    expectTypeOf<LoopState['frames']>().toEqualTypeOf<number>();
    expectTypeOf<LoopState['seconds']>().toEqualTypeOf<number>();
    expectTypeOf<LoopState['history']>().toEqualTypeOf<EpochRecord[]>();
    expectTypeOf<LoopState['done']>().toEqualTypeOf<boolean>();
  });
  it('StageHistory', () => {
    expectTypeOf<StageHistory['stage']>().toEqualTypeOf<string>();
    expectTypeOf<StageHistory['schedule']>().toEqualTypeOf<PlateauState>();
    expectTypeOf<StageHistory['history']>().toEqualTypeOf<EpochRecord[]>();
  });
  it('StepOutcome', () => {
    expectTypeOf<StepOutcome['loss']>().toEqualTypeOf<number>();
    expectTypeOf<StepOutcome['frames']>().toEqualTypeOf<number>();
    expectTypeOf<StepOutcome['skipped']>().toEqualTypeOf<string | undefined>();
  });
  it('assignVariables', () => {
    expectTypeOf(assignVariables).toEqualTypeOf<
      (
        file: string,
        arrays: Record<string, CheckpointArray>,
        vars: ReadonlyMap<string, Variable<Rank>>,
        prefix?: string,
      ) => void
    >();
  });
  it('bestCheckpointPath', () => {
    expectTypeOf(bestCheckpointPath).toEqualTypeOf<(dir: string) => string>();
  });
  it('ResumeError', () => {
    expectTypeOf<ResumeError['name']>().toEqualTypeOf<string>();
  });
  it('runLoop', () => {
    expectTypeOf(runLoop).toEqualTypeOf<(spec: LoopSpec) => Promise<LoopResult>>();
  });
  it('shuffledOrder', () => {
    expectTypeOf(shuffledOrder).toEqualTypeOf<(n: number, rng: Rng) => number[]>();
  });
  it('variablesToArrays', () => {
    expectTypeOf(variablesToArrays).toEqualTypeOf<
      (vars: ReadonlyMap<string, Variable<Rank>>, prefix?: string) => Record<string, CheckpointArray>
    >();
  });
  it('LossKind', () => {
    expectTypeOf<LossKind>().toEqualTypeOf<'ctc' | 'ctc-crf'>();
  });
  it('RunTrainingConfig', () => {
    expectTypeOf<RunTrainingConfig['loss']>().toEqualTypeOf<LossKind>();
    expectTypeOf<RunTrainingConfig['crfLambda']>().toEqualTypeOf<number | null>();
    expectTypeOf<RunTrainingConfig['crfOrder']>().toEqualTypeOf<number | null>();
    expectTypeOf<RunTrainingConfig['specAugment']>().toEqualTypeOf<Required<
      Omit<SpecAugmentConfig, 'maskValue'>
    > | null>();
    expectTypeOf<RunTrainingConfig['speedPerturb']>().toEqualTypeOf<number[] | null>();
  });
  it('SpecAugmentConfig', () => {
    expectTypeOf<SpecAugmentConfig['freqMasks']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentConfig['freqMaskWidth']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentConfig['freqGroups']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentConfig['timeMasks']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentConfig['timeMaskWidth']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentConfig['timeMaskRatio']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentConfig['timeWarp']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SpecAugmentConfig['maskValue']>().toEqualTypeOf<number | undefined>();
  });
  it('TrainingOptions', () => {
    expectTypeOf<TrainingOptions['loss']>().toEqualTypeOf<LossKind | undefined>();
    expectTypeOf<TrainingOptions['crfLambda']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<TrainingOptions['crfOrder']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<TrainingOptions['specAugment']>().toEqualTypeOf<SpecAugmentConfig | undefined>();
    expectTypeOf<TrainingOptions['speedPerturb']>().toEqualTypeOf<number[] | undefined>();
  });
  it('augmentBatch', () => {
    expectTypeOf(augmentBatch).toEqualTypeOf<
      (batch: Batch, config: SpecAugmentConfig | null, seed: number, stage: string, step: number) => Batch
    >();
  });
  it('defaultSpecAugment', () => {
    expectTypeOf(defaultSpecAugment).toEqualTypeOf<
      (pipeline: FeaturePipeline) => Required<Omit<SpecAugmentConfig, 'maskValue'>>
    >();
  });
  it('parseSpecAugmentConfig', () => {
    expectTypeOf(parseSpecAugmentConfig).toEqualTypeOf<(text: string) => SpecAugmentConfig>();
  });
  it('pinRunConfig', () => {
    expectTypeOf(pinRunConfig).toEqualTypeOf<(dir: string, config: RunTrainingConfig) => void>();
  });
  it('resolveTrainingOptions', () => {
    expectTypeOf(resolveTrainingOptions).toEqualTypeOf<
      (o: TrainingOptions, pipeline: FeaturePipeline) => RunTrainingConfig
    >();
  });
  it('stepSeed', () => {
    expectTypeOf(stepSeed).toEqualTypeOf<(seed: number, stage: string, step: number) => number>();
  });
});
