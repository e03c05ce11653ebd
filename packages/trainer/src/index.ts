export type { Adam, AdamOptions, AdamSlot, AdamState, AdamStateData } from './adam';
export { adamStateFromData, adamStateToData, createAdam, disposeAdamState } from './adam';
export type {
  BackendAttempt,
  BackendRequest,
  BackendSelection,
} from './backend/select-backend';
export { BackendUnavailableError, selectBackend } from './backend/select-backend';
export type { WasmInfo, WasmOptions } from './backend/wasm-node';
export { setupWasmBackend, wasmBinaryDir } from './backend/wasm-node';
export type { Checkpoint, CheckpointArray } from './checkpoint';
export { CheckpointError, readCheckpoint, writeCheckpoint, writeFileAtomic } from './checkpoint';
export type { CliIo } from './cli';
export { main } from './cli';
export { corpusDir } from './corpus-dir';
export type { Batch, DataSet, FeaturePipeline, Utterance } from './data';
export { DEFAULT_PIPELINE, heldOutSplit, loadDataSet, makeBatches } from './data';
export type { DecodeInputs, DecodeResult } from './decode';
export { lmVocabulary, readModelManifest, runDecode } from './decode';
export type { DemoInputs, DemoPlan, DemoResult } from './demo';
export { baselineOps, demoPlan, formatResults, runDemo } from './demo';
export type { DoctorReport } from './doctor';
export { formatDoctor, runDoctor } from './doctor';
export { EXIT, InputError, UsageError } from './errors';
export type { Lexicon, Units } from './lang';
export { readLexicon, readUnits, wordsToUnits } from './lang';
export type { PipelineInputs, PipelineResult } from './pipeline';
export { pinConfig, runPipeline } from './pipeline';
export type { PlateauDecision, PlateauOptions, PlateauState } from './plateau-schedule';
export {
  plateauInit,
  plateauStep,
  retrainSchedule,
  searchSchedule,
  warmupSchedule,
} from './plateau-schedule';
export type { Progress, ProgressSink, ProgressUpdate } from './progress';
export { createProgress, formatDuration, progressText } from './progress';
export type { ArchitectureDrawing, ArchProbHistory, LossCurve, ReportData, ResultRow } from './report-html';
export { architectureSvg, escapeHtml, lineChartSvg, renderReport } from './report-html';
export type { ModelManifest, RetrainInputs } from './retrain';
export { configOps, configWithOps, runRetrain, searchedArchitecture } from './retrain';
export type { RunResults } from './run-report';
export { collectReport, readArchProbs, writeReport } from './run-report';
export type { SafeUpdateResult } from './safe-update';
export { safeUpdate } from './safe-update';
export type { DerivedArchitecture, SearchInputs } from './search';
export { runSearch, SEARCH_ESTIMATORS, searchDir } from './search';
export {
  noAudioMessage,
  parseSpeedFactors,
  prepareSpeedPerturbed,
  trainingDataDir,
} from './speed-perturb-train';
export type { StageData, StageInputs } from './stage-common';
export { batchLoss, evaluateLoss, loadStageData, modelVariables } from './stage-common';
export type { DevLoss, StageObjective } from './stage-objective';
export { createObjective, PHONE_LM_FILE, setupStage, stageDenominator } from './stage-objective';
export type {
  EpochRecord,
  LoopOptimizer,
  LoopResult,
  LoopSpec,
  LoopState,
  StageHistory,
  StepOutcome,
} from './train-loop';
export {
  assignVariables,
  bestCheckpointPath,
  ResumeError,
  runLoop,
  shuffledOrder,
  variablesToArrays,
} from './train-loop';
export type {
  LossKind,
  RunTrainingConfig,
  SpecAugmentConfig,
  TrainingOptions,
} from './training-options';
export {
  augmentBatch,
  defaultSpecAugment,
  parseSpecAugmentConfig,
  pinRunConfig,
  resolveTrainingOptions,
  stepSeed,
} from './training-options';
export type { WarmupInputs } from './warmup';
export { runWarmup, warmupDir } from './warmup';
