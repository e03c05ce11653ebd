export type {
  BackendAttempt,
  BackendRequest,
  BackendSelection,
} from './backend/select-backend';
export { BackendUnavailableError, selectBackend } from './backend/select-backend';
export type { WasmInfo, WasmOptions } from './backend/wasm-node';
export { setupWasmBackend, wasmBinaryDir } from './backend/wasm-node';
export type { DoctorReport } from './cli/doctor';
export { formatDoctor, runDoctor } from './cli/doctor';
export type { CliIo } from './cli/io';
export { main } from './cli/main';
export { type Batch, fromDatasetBatch } from './data/batch';
export { corpusDir } from './data/corpus-dir';
export { DEFAULT_PIPELINE, type FeaturePipeline } from './data/feature-pipeline';
export type { Lexicon, Units } from './data/lang';
export { readLexicon, readUnits, wordsToUnits } from './data/lang';
export {
  noAudioMessage,
  parseSpeedFactors,
  prepareSpeedPerturbed,
  trainingDataDir,
} from './data/speed-perturb-train';
export { type Batching, openStageSet, type StageSet } from './data/stage-set';
export { EXIT, InputError, UsageError } from './errors';
export { renderExperimentReport, scatterSvg, writeExperimentReport } from './experiment/experiment-report';
export type { GroupKind, PlannedArchitecture } from './experiment/job-graph';
export {
  architectureKey,
  plannedArchitectures,
  sampleRandomArchitectures,
  stageJobs,
} from './experiment/job-graph';
export { cliCommand, type JobExit, spawnJob } from './experiment/job-process';
export type { JobSpec, Stage } from './experiment/job-store';
export { isJobDone, jobDir, jobLog, pinPlan, readPinnedPlan, STAGES } from './experiment/job-store';
export type { ExperimentProgress, FailedJob } from './experiment/local-pool';
export { defaultPoolSize, ExperimentFailedError, runLocalPool } from './experiment/local-pool';
export { type BootstrapComparison, pairedBootstrap } from './experiment/paired-bootstrap';
export type { BaselineSpec, ExperimentPlan, ExperimentSizes } from './experiment/plan';
export { PlanError, parsePlan, readPlan } from './experiment/plan';
export { runOnQueue } from './experiment/queue-flow';
export { QUEUE_NAME, type QueueWorkerOptions, runQueueWorker } from './experiment/queue-worker';
export {
  parseQueueUrl,
  probeQueue,
  type QueueTarget,
  QueueUnavailableError,
  redact,
} from './experiment/redis-url';
export type {
  ExperimentComparison,
  ExperimentGroup,
  ExperimentResults,
  ExperimentRun,
} from './experiment/results';
export { collectResults, formatExperimentResults, writeResults } from './experiment/results';
export type { ExperimentInputs, ExperimentOutcome } from './experiment/run-experiment';
export { runExperiment } from './experiment/run-experiment';
export type { DecodeJobResult, RetrainJobResult } from './experiment/run-job';
export { runExperimentJob } from './experiment/run-job';
export { type PrepareInputs, type PrepareResult, runPrepare } from './prepare/run-prepare';
export { axisTicks } from './report/chart-ticks';
export type {
  ArchitectureDrawing,
  ArchProbHistory,
  LossCurve,
  ReportData,
  ResultRow,
} from './report/report-html';
export { architectureSvg, escapeHtml, lineChartSvg, renderReport } from './report/report-html';
export type { RunResults } from './report/run-report';
export { collectReport, readArchProbs, writeReport } from './report/run-report';
export type { DecisionRule, PathEvidence, UndecidedNode } from './search-health/decision-rule';
export {
  DEFAULT_DECISION_RULE,
  decisionStop,
  undecidedNodes,
  undecidedWarning,
} from './search-health/decision-rule';
export { entropy, nodeEntropies } from './search-health/node-entropy';
export type { PathCheck, PathLoss } from './search-health/path-table';
export {
  conditionalLosses,
  countPaths,
  DEFAULT_PATH_CHECK,
  enumeratePaths,
  expectedLoss,
  expectedLossGradient,
  pathCheckLine,
  pathRank,
} from './search-health/path-table';
export { randomArchitecture } from './search-health/random-architecture';
export type { BuildWordLmInputs, BuildWordLmResult } from './stages/build-word-lm';
export { buildWordLm } from './stages/build-word-lm';
export type { DecodeInputs, DecodeResult } from './stages/decode';
export { lmVocabulary, readModelManifest, runDecode } from './stages/decode';
export type { DemoInputs, DemoPlan, DemoResult } from './stages/demo';
export { baselineOps, demoPlan, formatResults, runDemo } from './stages/demo';
export type { PipelineInputs, PipelineResult } from './stages/pipeline';
export { pinConfig, runPipeline } from './stages/pipeline';
export type { ModelManifest, RetrainInputs } from './stages/retrain';
export { configOps, configWithOps, runRetrain, searchedArchitecture } from './stages/retrain';
export type { DerivedArchitecture, SearchEstimator, SearchInputs } from './stages/search';
export { runSearch, SEARCH_ESTIMATORS, searchDir } from './stages/search';
export { DEMO_ESTIMATOR } from './stages/search-estimators';
export type { StageData, StageInputs } from './stages/stage-common';
export { batchLoss, evaluateLoss, loadStageData, modelVariables } from './stages/stage-common';
export type { DevLoss, StageObjective } from './stages/stage-objective';
export { createObjective, PHONE_LM_FILE, setupStage, stageDenominator } from './stages/stage-objective';
export type { WarmupInputs } from './stages/warmup';
export { runWarmup, warmupDir } from './stages/warmup';
export type {
  Posteriors,
  TuningPoint,
  WordDecodeInputs,
  WordDecodeResult,
  WordLexicon,
  WordLmTuning,
  WordSearchSettings,
} from './stages/word-decode';
export {
  DEFAULT_TUNING_GRID,
  readTranscripts,
  readWordLexicon,
  runWordDecode,
  searchWords,
  tuneWordSearch,
} from './stages/word-decode';
export type { Adam, AdamOptions, AdamSlot, AdamState, AdamStateData } from './training/adam';
export { adamStateFromData, adamStateToData, createAdam, disposeAdamState } from './training/adam';
export type { Checkpoint, CheckpointArray } from './training/checkpoint';
export { CheckpointError, readCheckpoint, writeCheckpoint, writeFileAtomic } from './training/checkpoint';
export {
  checkBatchFits,
  estimateStepHeap,
  HEAP_COST,
  largestBatch,
  networkSize,
  type StepKind,
  WASM_HEAP_LIMIT,
} from './training/heap-budget';
export { legUpdate } from './training/leg-update';
export type { PlateauDecision, PlateauOptions, PlateauState } from './training/plateau-schedule';
export {
  plateauInit,
  plateauStep,
  retrainSchedule,
  searchSchedule,
  warmupSchedule,
} from './training/plateau-schedule';
export type { Progress, ProgressSink, ProgressUpdate } from './training/progress';
export { createProgress, formatDuration, progressText } from './training/progress';
export type { SafeUpdateResult } from './training/safe-update';
export { safeUpdate } from './training/safe-update';
export type {
  EpochRecord,
  LoopOptimizer,
  LoopResult,
  LoopSpec,
  LoopState,
  StageHistory,
  StepOutcome,
} from './training/train-loop';
export {
  assignVariables,
  bestCheckpointPath,
  ResumeError,
  runLoop,
  shuffledOrder,
  variablesToArrays,
} from './training/train-loop';
export type {
  LossKind,
  RunTrainingConfig,
  SpecAugmentConfig,
  TrainingOptions,
} from './training/training-options';
export {
  augmentBatch,
  defaultSpecAugment,
  parseSpecAugmentConfig,
  pinRunConfig,
  resolveTrainingOptions,
  stepSeed,
} from './training/training-options';
