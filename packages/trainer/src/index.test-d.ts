// Pins the public signatures of @stnas/trainer (src/index.ts): an accidental change to a parameter,
// a return type or a field fails `vitest` (typecheck). New exports and new fields do not.

import type { ArpaModel, DenominatorGraph } from '@stnas/ctc';
import type { Batch as DatasetBatch, SpeechDataset } from '@stnas/data-wsj';
import type { FbankOptions, PrepareSummary } from '@stnas/features';
import type { ApplyOptions, SearchSpaceModel, StnasConfig } from '@stnas/search-space';
import type { EstimatorName, Rng, RngState } from '@stnas/st-estimator';
import type { ArchProbHistory, BackendRequest, ReportData, ResultRow } from '@stnas/trainer';
import type { Rank, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { RedisOptions } from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type Adam,
  type AdamOptions,
  type AdamSlot,
  type AdamState,
  type AdamStateData,
  adamStateFromData,
  adamStateToData,
  architectureKey,
  assignVariables,
  augmentBatch,
  axisTicks,
  type BaselineSpec,
  type Batch,
  type Batching,
  type BootstrapComparison,
  type BuildWordLmInputs,
  type BuildWordLmResult,
  batchLoss,
  bestCheckpointPath,
  buildWordLm,
  type Checkpoint,
  type CheckpointArray,
  type CheckpointError,
  type CliIo,
  checkBatchFits,
  cliCommand,
  collectReport,
  collectResults,
  conditionalLosses,
  configOps,
  configWithOps,
  corpusDir,
  countPaths,
  createAdam,
  createObjective,
  createProgress,
  DEFAULT_DECISION_RULE,
  DEFAULT_PATH_CHECK,
  DEFAULT_PIPELINE,
  DEFAULT_TUNING_GRID,
  DEMO_ESTIMATOR,
  type DecisionRule,
  type DecodeInputs,
  type DecodeJobResult,
  type DecodeResult,
  type DerivedArchitecture,
  type DevLoss,
  decisionStop,
  defaultPoolSize,
  defaultSpecAugment,
  disposeAdamState,
  type EpochRecord,
  EXIT,
  type ExperimentComparison,
  ExperimentFailedError,
  type ExperimentGroup,
  type ExperimentInputs,
  type ExperimentOutcome,
  type ExperimentPlan,
  type ExperimentProgress,
  type ExperimentResults,
  type ExperimentRun,
  type ExperimentSizes,
  entropy,
  enumeratePaths,
  estimateStepHeap,
  evaluateLoss,
  expectedLoss,
  expectedLossGradient,
  type FailedJob,
  type FeaturePipeline,
  formatDuration,
  formatExperimentResults,
  fromDatasetBatch,
  type GroupKind,
  HEAP_COST,
  type InputError,
  isJobDone,
  type JobExit,
  type JobSpec,
  jobDir,
  jobLog,
  type Lexicon,
  type LoopOptimizer,
  type LoopResult,
  type LoopSpec,
  type LoopState,
  type LossKind,
  largestBatch,
  legUpdate,
  lmVocabulary,
  loadStageData,
  type ModelManifest,
  main,
  modelVariables,
  networkSize,
  noAudioMessage,
  nodeEntropies,
  openStageSet,
  type PathCheck,
  type PathEvidence,
  type PathLoss,
  PHONE_LM_FILE,
  type PipelineInputs,
  type PipelineResult,
  type PlanError,
  type PlannedArchitecture,
  type PlateauDecision,
  type PlateauOptions,
  type PlateauState,
  type Posteriors,
  type PrepareInputs,
  type PrepareResult,
  type Progress,
  type ProgressSink,
  type ProgressUpdate,
  pairedBootstrap,
  parsePlan,
  parseQueueUrl,
  parseSpecAugmentConfig,
  parseSpeedFactors,
  pathCheckLine,
  pathRank,
  pinConfig,
  pinPlan,
  pinRunConfig,
  plannedArchitectures,
  plateauInit,
  plateauStep,
  prepareSpeedPerturbed,
  probeQueue,
  progressText,
  QUEUE_NAME,
  type QueueTarget,
  type QueueUnavailableError,
  type QueueWorkerOptions,
  type ResumeError,
  type RetrainInputs,
  type RetrainJobResult,
  type RunResults,
  type RunTrainingConfig,
  randomArchitecture,
  readArchProbs,
  readCheckpoint,
  readLexicon,
  readModelManifest,
  readPinnedPlan,
  readPlan,
  readTranscripts,
  readUnits,
  readWordLexicon,
  redact,
  resolveTrainingOptions,
  retrainSchedule,
  runDecode,
  runExperiment,
  runExperimentJob,
  runLocalPool,
  runLoop,
  runOnQueue,
  runPipeline,
  runPrepare,
  runQueueWorker,
  runRetrain,
  runSearch,
  runWarmup,
  runWordDecode,
  type SafeUpdateResult,
  SEARCH_ESTIMATORS,
  type SearchEstimator,
  type SearchInputs,
  type SpecAugmentConfig,
  STAGES,
  type Stage,
  type StageData,
  type StageHistory,
  type StageInputs,
  type StageObjective,
  type StageSet,
  type StepKind,
  type StepOutcome,
  safeUpdate,
  sampleRandomArchitectures,
  searchDir,
  searchedArchitecture,
  searchSchedule,
  searchWords,
  setupStage,
  shuffledOrder,
  spawnJob,
  stageDenominator,
  stageJobs,
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
  WASM_HEAP_LIMIT,
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
  writeResults,
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
    expectTypeOf(EXIT).toExtend<{
      readonly ok: number;
      readonly failure: number;
      readonly usage: number;
      readonly backend: number;
      readonly input: number;
      readonly queue: number;
    }>();
  });
  it('InputError', () => {
    expectTypeOf<InputError['name']>().toEqualTypeOf<string>();
  });
  it('UsageError', () => {
    expectTypeOf<UsageError['name']>().toEqualTypeOf<string>();
  });
  it('GroupKind', () => {
    expectTypeOf<GroupKind>().toEqualTypeOf<'searched' | 'random' | 'baseline'>();
  });
  it('PlannedArchitecture', () => {
    expectTypeOf<PlannedArchitecture['group']>().toEqualTypeOf<string>();
    expectTypeOf<PlannedArchitecture['kind']>().toEqualTypeOf<GroupKind>();
    expectTypeOf<PlannedArchitecture['ops']>().toEqualTypeOf<string[]>();
    expectTypeOf<PlannedArchitecture['searchSeed']>().toEqualTypeOf<number | undefined>();
  });
  it('architectureKey', () => {
    expectTypeOf(architectureKey).toEqualTypeOf<(ops: readonly string[]) => string>();
  });
  it('plannedArchitectures', () => {
    expectTypeOf(plannedArchitectures).toEqualTypeOf<
      (plan: ExperimentPlan, dir: string) => PlannedArchitecture[]
    >();
  });
  it('sampleRandomArchitectures', () => {
    expectTypeOf(sampleRandomArchitectures).toEqualTypeOf<
      (plan: ExperimentPlan, count: number, seed: number) => string[][]
    >();
  });
  it('stageJobs', () => {
    expectTypeOf(stageJobs).toEqualTypeOf<
      (plan: ExperimentPlan, dir: string, stage: 'warmup' | 'search' | 'retrain' | 'decode') => JobSpec[]
    >();
  });
  it('cliCommand', () => {
    expectTypeOf(cliCommand).toEqualTypeOf<() => string[]>();
  });
  it('JobExit', () => {
    expectTypeOf<JobExit['id']>().toEqualTypeOf<string>();
    expectTypeOf<JobExit['code']>().toEqualTypeOf<number | null>();
    expectTypeOf<JobExit['signal']>().toEqualTypeOf<NodeJS.Signals | null>();
    expectTypeOf<JobExit['log']>().toEqualTypeOf<string>();
  });
  it('spawnJob', () => {
    expectTypeOf(spawnJob).toEqualTypeOf<
      (
        dir: string,
        id: string,
        backend: BackendRequest,
        opts?: { attempt?: number | undefined; env?: NodeJS.ProcessEnv | undefined },
      ) => Promise<JobExit>
    >();
  });
  it('JobSpec', () => {
    expectTypeOf<JobSpec>().toEqualTypeOf<
      | { kind: 'warmup'; id: string; seed: number }
      | { kind: 'search'; id: string; seed: number; estimator: string; warmup: string }
      | { kind: 'retrain'; id: string; seed: number; ops: string[] }
      | { kind: 'decode'; id: string; retrain: string }
    >();
  });
  it('Stage', () => {
    expectTypeOf<Stage>().toEqualTypeOf<'warmup' | 'search' | 'retrain' | 'decode'>();
  });
  it('isJobDone', () => {
    expectTypeOf(isJobDone).toEqualTypeOf<(dir: string, id: string) => boolean>();
  });
  it('jobDir', () => {
    expectTypeOf(jobDir).toEqualTypeOf<(dir: string, id: string) => string>();
  });
  it('jobLog', () => {
    expectTypeOf(jobLog).toEqualTypeOf<(dir: string, id: string) => string>();
  });
  it('pinPlan', () => {
    expectTypeOf(pinPlan).toEqualTypeOf<(dir: string, plan: ExperimentPlan) => void>();
  });
  it('readPinnedPlan', () => {
    expectTypeOf(readPinnedPlan).toEqualTypeOf<(dir: string) => ExperimentPlan>();
  });
  it('STAGES', () => {
    expectTypeOf(STAGES).toEqualTypeOf<readonly ['warmup', 'search', 'retrain', 'decode']>();
  });
  it('ExperimentProgress', () => {
    expectTypeOf<ExperimentProgress['stage']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentProgress['done']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentProgress['running']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentProgress['failed']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentProgress['total']>().toEqualTypeOf<number>();
  });
  it('FailedJob', () => {
    expectTypeOf<FailedJob['id']>().toEqualTypeOf<string>();
    expectTypeOf<FailedJob['attempts']>().toEqualTypeOf<number>();
    expectTypeOf<FailedJob['reason']>().toEqualTypeOf<string>();
    expectTypeOf<FailedJob['log']>().toEqualTypeOf<string>();
  });
  it('defaultPoolSize', () => {
    expectTypeOf(defaultPoolSize).toEqualTypeOf<(threadsPerJob: number) => number>();
  });
  it('ExperimentFailedError', () => {
    expectTypeOf(ExperimentFailedError).constructorParameters.toEqualTypeOf<[failed: FailedJob[]]>();
    expectTypeOf<ExperimentFailedError['name']>().toEqualTypeOf<string>();
  });
  it('runLocalPool', () => {
    expectTypeOf(runLocalPool).toEqualTypeOf<
      (
        plan: ExperimentPlan,
        dir: string,
        o: {
          jobs: number;
          backend: BackendRequest;
          onProgress?: ((p: ExperimentProgress) => void) | undefined;
        },
      ) => Promise<void>
    >();
  });
  it('BootstrapComparison', () => {
    expectTypeOf<BootstrapComparison['diff']>().toEqualTypeOf<number>();
    expectTypeOf<BootstrapComparison['ci95']>().toEqualTypeOf<[number, number]>();
    expectTypeOf<BootstrapComparison['pImprove']>().toEqualTypeOf<number>();
  });
  it('pairedBootstrap', () => {
    expectTypeOf(pairedBootstrap).toEqualTypeOf<
      (
        errorsA: readonly number[],
        errorsB: readonly number[],
        refs: readonly number[],
        o: { samples: number; seed: number },
      ) => BootstrapComparison
    >();
  });
  it('BaselineSpec', () => {
    expectTypeOf<BaselineSpec['name']>().toEqualTypeOf<string>();
    expectTypeOf<BaselineSpec['ops']>().toEqualTypeOf<string[]>();
  });
  it('ExperimentPlan', () => {
    expectTypeOf<ExperimentPlan['file']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentPlan['data']>().toEqualTypeOf<{
      train: string;
      dev: string;
      test: string;
      lexicon: string;
      units: string;
    }>();
    expectTypeOf<ExperimentPlan['config']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<ExperimentPlan['search']>().toEqualTypeOf<{
      seeds: number[];
      estimators: SearchEstimator[];
      heldOutRatio: number;
      archLr: number;
    }>();
    expectTypeOf<ExperimentPlan['random']>().toEqualTypeOf<{ count: number; seed: number }>();
    expectTypeOf<ExperimentPlan['baselines']>().toEqualTypeOf<BaselineSpec[]>();
    expectTypeOf<ExperimentPlan['retrain']>().toEqualTypeOf<{
      seeds: number[];
      loss?: 'ctc-crf' | undefined;
      crfLambda?: number | undefined;
      crfOrder?: number | undefined;
    }>();
    expectTypeOf<ExperimentPlan['sizes']>().toEqualTypeOf<ExperimentSizes>();
    expectTypeOf<ExperimentPlan['decode']>().toEqualTypeOf<{
      beam: number;
      lm?: string | undefined;
      lmWeight: number;
      wordLm?: string | undefined;
      wordLmWeight?: number | undefined;
    }>();
    expectTypeOf<ExperimentPlan['bootstrap']>().toEqualTypeOf<{ samples: number; seed: number }>();
    expectTypeOf<ExperimentPlan['threadsPerJob']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentPlan['attempts']>().toEqualTypeOf<number>();
  });
  it('ExperimentSizes', () => {
    expectTypeOf<ExperimentSizes['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentSizes['lr']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentSizes['maxUtts']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ExperimentSizes['stepsPerEpoch']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ExperimentSizes['checkpointEvery']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentSizes['warmupEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentSizes['warmupMinEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentSizes['searchEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentSizes['retrainEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentSizes['retrainMinEpochs']>().toEqualTypeOf<number>();
  });
  it('PlanError', () => {
    expectTypeOf<PlanError['name']>().toEqualTypeOf<string>();
  });
  it('parsePlan', () => {
    expectTypeOf(parsePlan).toEqualTypeOf<(text: string, planFile: string) => ExperimentPlan>();
  });
  it('readPlan', () => {
    expectTypeOf(readPlan).toEqualTypeOf<(file: string) => ExperimentPlan>();
  });
  it('runOnQueue', () => {
    expectTypeOf(runOnQueue).toEqualTypeOf<
      (
        plan: ExperimentPlan,
        dir: string,
        o: {
          queue: QueueTarget;
          onProgress?: ((p: ExperimentProgress) => void) | undefined;
          pollMs?: number | undefined;
        },
      ) => Promise<void>
    >();
  });
  it('QUEUE_NAME', () => {
    expectTypeOf(QUEUE_NAME).toEqualTypeOf<string>();
  });
  it('QueueWorkerOptions', () => {
    expectTypeOf<QueueWorkerOptions['queue']>().toEqualTypeOf<QueueTarget>();
    expectTypeOf<QueueWorkerOptions['concurrency']>().toEqualTypeOf<number>();
    expectTypeOf<QueueWorkerOptions['backend']>().toEqualTypeOf<BackendRequest>();
    expectTypeOf<QueueWorkerOptions['stalledMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<QueueWorkerOptions['log']>().toEqualTypeOf<(line: string) => void>();
    expectTypeOf<QueueWorkerOptions['signal']>().toEqualTypeOf<AbortSignal | undefined>();
  });
  it('runQueueWorker', () => {
    expectTypeOf(runQueueWorker).toEqualTypeOf<(o: QueueWorkerOptions) => Promise<void>>();
  });
  it('parseQueueUrl', () => {
    expectTypeOf(parseQueueUrl).toEqualTypeOf<(url: string) => QueueTarget>();
  });
  it('probeQueue', () => {
    expectTypeOf(probeQueue).toEqualTypeOf<(t: QueueTarget, timeoutMs?: number) => Promise<void>>();
  });
  it('QueueTarget', () => {
    expectTypeOf<QueueTarget['connection']>().toEqualTypeOf<RedisOptions>();
    expectTypeOf<QueueTarget['display']>().toEqualTypeOf<string>();
  });
  it('QueueUnavailableError', () => {
    expectTypeOf<QueueUnavailableError['name']>().toEqualTypeOf<string>();
  });
  it('redact', () => {
    expectTypeOf(redact).toEqualTypeOf<(url: string) => string>();
  });
  it('ExperimentComparison', () => {
    expectTypeOf<ExperimentComparison['a']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentComparison['b']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentComparison['perDiff']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentComparison['ci95']>().toEqualTypeOf<[number, number]>();
    expectTypeOf<ExperimentComparison['pImprove']>().toEqualTypeOf<number>();
  });
  it('ExperimentGroup', () => {
    expectTypeOf<ExperimentGroup['name']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentGroup['kind']>().toEqualTypeOf<GroupKind>();
    expectTypeOf<ExperimentGroup['runs']>().toEqualTypeOf<ExperimentRun[]>();
    expectTypeOf<ExperimentGroup['meanPer']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentGroup['sdPer']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentGroup['meanParams']>().toEqualTypeOf<number>();
  });
  it('ExperimentResults', () => {
    expectTypeOf<ExperimentResults['groups']>().toEqualTypeOf<ExperimentGroup[]>();
    expectTypeOf<ExperimentResults['comparisons']>().toEqualTypeOf<ExperimentComparison[]>();
    expectTypeOf<ExperimentResults['testUtterances']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentResults['bootstrap']>().toEqualTypeOf<{ samples: number; seed: number }>();
  });
  it('ExperimentRun', () => {
    expectTypeOf<ExperimentRun['architecture']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentRun['seed']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentRun['params']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentRun['testPer']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentRun['searchSeed']>().toEqualTypeOf<number | undefined>();
  });
  it('collectResults', () => {
    expectTypeOf(collectResults).toEqualTypeOf<(plan: ExperimentPlan, dir: string) => ExperimentResults>();
  });
  it('formatExperimentResults', () => {
    expectTypeOf(formatExperimentResults).toEqualTypeOf<(r: ExperimentResults) => string>();
  });
  it('writeResults', () => {
    expectTypeOf(writeResults).toEqualTypeOf<(dir: string, results: ExperimentResults) => string>();
  });
  it('ExperimentInputs', () => {
    expectTypeOf<ExperimentInputs['plan']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentInputs['out']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentInputs['jobs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ExperimentInputs['queue']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ExperimentInputs['backend']>().toEqualTypeOf<BackendRequest>();
    expectTypeOf<ExperimentInputs['onProgress']>().toEqualTypeOf<
      ((p: ExperimentProgress) => void) | undefined
    >();
  });
  it('ExperimentOutcome', () => {
    expectTypeOf<ExperimentOutcome['results']>().toEqualTypeOf<ExperimentResults>();
    expectTypeOf<ExperimentOutcome['table']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentOutcome['resultsFile']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentOutcome['report']>().toEqualTypeOf<string>();
  });
  it('runExperiment', () => {
    expectTypeOf(runExperiment).toEqualTypeOf<(i: ExperimentInputs) => Promise<ExperimentOutcome>>();
  });
  it('DecodeJobResult', () => {
    expectTypeOf<DecodeJobResult['retrain']>().toEqualTypeOf<string>();
    expectTypeOf<DecodeJobResult['per']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeJobResult['errors']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeJobResult['refPhones']>().toEqualTypeOf<number>();
    expectTypeOf<DecodeJobResult['utterances']>().toEqualTypeOf<
      { key: string; errors: number; refPhones: number }[]
    >();
  });
  it('RetrainJobResult', () => {
    expectTypeOf<RetrainJobResult['ops']>().toEqualTypeOf<string[]>();
    expectTypeOf<RetrainJobResult['seed']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainJobResult['params']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainJobResult['model']>().toEqualTypeOf<string>();
  });
  it('runExperimentJob', () => {
    expectTypeOf(runExperimentJob).toEqualTypeOf<
      (dir: string, id: string, log: (line: string) => void) => Promise<void>
    >();
  });
  it('PrepareInputs', () => {
    expectTypeOf<PrepareInputs['data']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<PrepareInputs['librispeech']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<PrepareInputs['out']>().toEqualTypeOf<string>();
    expectTypeOf<PrepareInputs['fbankConfig']>().toEqualTypeOf<string | FbankOptions | undefined>();
    expectTypeOf<PrepareInputs['compress']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<PrepareInputs['allowPipes']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<PrepareInputs['lexicon']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<PrepareInputs['workers']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrepareInputs['seed']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<PrepareInputs['progress']>().toEqualTypeOf<ProgressSink | undefined>();
    expectTypeOf<PrepareInputs['log']>().toEqualTypeOf<((line: string) => void) | undefined>();
  });
  it('PrepareResult', () => {
    expectTypeOf<PrepareResult>().toExtend<PrepareSummary>();
    expectTypeOf<PrepareResult['lang']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<PrepareResult['oovWords']>().toEqualTypeOf<number>();
    expectTypeOf<PrepareResult['oovTokens']>().toEqualTypeOf<number>();
    expectTypeOf<PrepareResult['tokens']>().toEqualTypeOf<number>();
    expectTypeOf<PrepareResult['oovFile']>().toEqualTypeOf<string | undefined>();
  });
  it('runPrepare', () => {
    expectTypeOf(runPrepare).toEqualTypeOf<(i: PrepareInputs) => Promise<PrepareResult>>();
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
        evidence?: PathEvidence,
      ) => string | undefined
    >();
  });
  it('PathEvidence', () => {
    expectTypeOf<PathEvidence>().toEqualTypeOf<{
      conditional: readonly (readonly number[])[];
      paths: number;
    }>();
  });
  it('PathLoss', () => {
    expectTypeOf<PathLoss>().toEqualTypeOf<{ choices: readonly number[]; loss: number }>();
  });
  it('path table functions', () => {
    type Probs = readonly (readonly number[])[];
    expectTypeOf(countPaths).toEqualTypeOf<(counts: readonly number[]) => number>();
    expectTypeOf(enumeratePaths).toEqualTypeOf<
      (counts: readonly number[], max: number) => number[][] | undefined
    >();
    expectTypeOf(expectedLoss).toEqualTypeOf<(probs: Probs, table: readonly PathLoss[]) => number>();
    expectTypeOf(conditionalLosses).toEqualTypeOf<(probs: Probs, table: readonly PathLoss[]) => number[][]>();
    expectTypeOf(expectedLossGradient).toEqualTypeOf<
      (probs: Probs, table: readonly PathLoss[]) => number[][]
    >();
    expectTypeOf(pathRank).toEqualTypeOf<
      (table: readonly PathLoss[], choices: readonly number[]) => number
    >();
  });
  it('PathCheck', () => {
    expectTypeOf<PathCheck>().toEqualTypeOf<{
      split: 'held-out';
      utterances: number;
      paths: number;
      rank: number;
      loss: number;
      best: string[];
      bestLoss: number;
    }>();
    expectTypeOf(pathCheckLine).toEqualTypeOf<(c: PathCheck) => string>();
    expectTypeOf(DEFAULT_PATH_CHECK).toEqualTypeOf<number>();
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
  it('PipelineInputs', () => {
    expectTypeOf<PipelineInputs>().toExtend<WarmupInputs>();
    expectTypeOf<PipelineInputs>().toExtend<SearchInputs>();
    expectTypeOf<PipelineInputs['test']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineInputs['retrainMinEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['lrFloor']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['beam']>().toEqualTypeOf<number>();
    expectTypeOf<PipelineInputs['wordLm']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<PipelineInputs['epochs']>().toEqualTypeOf<
      { warmup?: number | undefined; search?: number | undefined; retrain?: number | undefined } | undefined
    >();
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
    expectTypeOf<RetrainInputs>().toExtend<StageInputs>();
    expectTypeOf<RetrainInputs['architecture']>().toEqualTypeOf<StnasConfig>();
    expectTypeOf<RetrainInputs['name']>().toEqualTypeOf<string>();
    expectTypeOf<RetrainInputs['minEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<RetrainInputs['lrFloor']>().toEqualTypeOf<number>();
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
    expectTypeOf<DerivedArchitecture['estimator']>().toEqualTypeOf<SearchEstimator>();
    expectTypeOf<DerivedArchitecture['decision']>().toEqualTypeOf<DecisionRule | undefined>();
    expectTypeOf<DerivedArchitecture['stopReason']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DerivedArchitecture['warning']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DerivedArchitecture['pathCheck']>().toEqualTypeOf<PathCheck | undefined>();
  });
  it('SearchInputs', () => {
    expectTypeOf<SearchInputs>().toExtend<StageInputs>();
    expectTypeOf<SearchInputs['estimator']>().toEqualTypeOf<SearchEstimator>();
    expectTypeOf<SearchInputs['heldOutRatio']>().toEqualTypeOf<number>();
    expectTypeOf<SearchInputs['archLr']>().toEqualTypeOf<number>();
    expectTypeOf<SearchInputs['decision']>().toEqualTypeOf<DecisionRule | undefined>();
    expectTypeOf<SearchInputs['pathCheck']>().toEqualTypeOf<number | undefined>();
  });
  it('runSearch', () => {
    expectTypeOf(runSearch).toEqualTypeOf<
      (i: SearchInputs) => Promise<{ loop: LoopResult; derived: DerivedArchitecture | undefined }>
    >();
  });
  it('DEMO_ESTIMATOR', () => {
    expectTypeOf(DEMO_ESTIMATOR).toEqualTypeOf<SearchEstimator>();
  });
  it('SEARCH_ESTIMATORS', () => {
    expectTypeOf(SEARCH_ESTIMATORS).toEqualTypeOf<readonly SearchEstimator[]>();
    expectTypeOf<SearchEstimator>().toEqualTypeOf<EstimatorName | 'leg'>();
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
    expectTypeOf<StageInputs>().toExtend<TrainingOptions>();
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
    expectTypeOf<WarmupInputs>().toExtend<StageInputs>();
    expectTypeOf<WarmupInputs['minEpochs']>().toEqualTypeOf<number>();
    expectTypeOf<WarmupInputs['minLossImprove']>().toEqualTypeOf<number>();
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
    expectTypeOf<WordDecodeInputs>().toExtend<DecodeInputs>();
    expectTypeOf<WordDecodeInputs['wordLm']>().toEqualTypeOf<string>();
    expectTypeOf<WordDecodeInputs['wordLmWeight']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordDecodeInputs['wordBonus']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordDecodeInputs['wordBeam']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WordDecodeInputs['tuneDev']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<WordDecodeInputs['tuningFile']>().toEqualTypeOf<string | undefined>();
  });
  it('WordDecodeResult', () => {
    expectTypeOf<WordDecodeResult>().toExtend<DecodeResult>();
    expectTypeOf<WordDecodeResult['wer']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['wordErrors']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['refWords']>().toEqualTypeOf<number>();
    expectTypeOf<WordDecodeResult['wordSearch']>().toEqualTypeOf<WordSearchSettings>();
    expectTypeOf<WordDecodeResult['tuning']>().toEqualTypeOf<WordLmTuning | undefined>();
  });
  it('WordLexicon', () => {
    expectTypeOf<WordLexicon>().toEqualTypeOf<Map<string, number[][]>>();
  });
  it('WordLmTuning', () => {
    expectTypeOf<WordLmTuning>().toExtend<WordSearchSettings>();
    expectTypeOf<WordLmTuning['dev']>().toEqualTypeOf<string>();
    expectTypeOf<WordLmTuning['wer']>().toEqualTypeOf<number>();
    expectTypeOf<WordLmTuning['grid']>().toEqualTypeOf<TuningPoint[]>();
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
  it('checkBatchFits', () => {
    expectTypeOf(checkBatchFits).toEqualTypeOf<
      (o: {
        stage: string;
        config: StnasConfig;
        params: number;
        kind: 'weights' | 'arch';
        batch: { utterances: number; frames: number; padded: number };
        batchSize: number;
        batchFrames: number | undefined;
        backend?: string | undefined;
        blas?: boolean | undefined;
      }) => void
    >();
  });
  it('estimateStepHeap', () => {
    expectTypeOf(estimateStepHeap).toEqualTypeOf<
      (
        config: StnasConfig,
        params: number,
        frames: number,
        kind: 'weights' | 'arch',
        kernels?: 'blas' | 'wasm',
      ) => number
    >();
  });
  it('HEAP_COST', () => {
    type Cost = { readonly base: number; readonly perFrame: number };
    expectTypeOf(HEAP_COST).toExtend<{
      readonly blas: { readonly weights: Cost; readonly arch: Cost };
      readonly wasm: { readonly weights: Cost; readonly arch: Cost };
    }>();
  });
  it('largestBatch', () => {
    expectTypeOf(largestBatch).toEqualTypeOf<
      (batches: readonly (readonly number[])[]) => { utterances: number; frames: number; padded: number }
    >();
  });
  it('networkSize', () => {
    expectTypeOf(networkSize).toEqualTypeOf<(config: StnasConfig) => number>();
  });
  it('StepKind', () => {
    expectTypeOf<StepKind>().toEqualTypeOf<'weights' | 'arch'>();
  });
  it('WASM_HEAP_LIMIT', () => {
    expectTypeOf(WASM_HEAP_LIMIT).toEqualTypeOf<number>();
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
  it('legUpdate', () => {
    expectTypeOf(legUpdate).toEqualTypeOf<
      (
        model: SearchSpaceModel,
        batch: Batch,
        objective: StageObjective,
        rng: Rng,
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
    expectTypeOf<LossKind>().toEqualTypeOf<'ctc-crf' | 'ctc'>();
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
