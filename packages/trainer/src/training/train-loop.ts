import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Rng, RngState } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';
import { type Adam, type AdamState, adamStateFromData, adamStateToData, disposeAdamState } from './adam';
import { type CheckpointArray, readCheckpoint, writeCheckpoint, writeFileAtomic } from './checkpoint';
import { type PlateauOptions, type PlateauState, plateauInit, plateauStep } from './plateau-schedule';

/** One epoch of a stage's history. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the applied batches. */
  trainLoss: number;
  /** The dev loss the schedule saw. */
  devLoss: number;
  /** Learning rate used during the epoch. */
  lr: number;
  /** Batches skipped for a non-finite loss or gradient. */
  skipped: number;
  /** Frames trained per second of wall time in this epoch. */
  framesPerSecond: number;
  /** p of every node at the epoch's end (stages with architecture logits: the search). */
  archProbs?: number[][];
  /**
   * CTC-CRF: dev utterances whose full CRF loss is infinite (the phone LM forbids the reference),
   * out of `devUtterances`; `devLoss` scores them without the LM weight, as CAT does.
   */
  devInfinite?: number;
  /** Dev utterances scored. */
  devUtterances?: number;
  /** CTC-CRF: the dev CTC loss of the same logits. */
  devCtcLoss?: number;
}

/** A dev evaluation with details for the history (what `evaluate` may return beside a number). */
export interface DevEvaluation {
  loss: number;
  infinite?: number;
  utterances?: number;
  ctc?: number;
}

/** Everything a stage checkpoint holds besides tensors: plain JSON. */
export interface LoopState {
  stage: string;
  /** Training steps done (global). */
  step: number;
  /** The current epoch's batch order and how many of it are done. */
  order: number[];
  pos: number;
  rng: RngState;
  schedule: PlateauState;
  /** Running sums of the current epoch. */
  sumLoss: number;
  applied: number;
  skipped: number;
  frames: number;
  seconds: number;
  history: EpochRecord[];
  done: boolean;
}

/** One optimiser the loop checkpoints: a name, the Adam and its mutable state. */
export interface LoopOptimizer {
  name: string;
  adam: Adam;
  state: AdamState;
}

/** What a training step reports. */
export interface StepOutcome {
  loss: number;
  /** Input frames in the batch (for frames/s). */
  frames: number;
  /** Set when the batch was skipped (non-finite loss or gradient). */
  skipped?: string;
}

/** A stage for `runLoop`: its data, model state and step functions. */
export interface LoopSpec {
  /** Stage name (`warmup`, `search`, `retrain`); checked against the checkpoint on resume. */
  stage: string;
  /** Directory holding `checkpoint.ckpt`, `best.ckpt` and `steps.jsonl`. */
  dir: string;
  schedule: PlateauOptions;
  rng: Rng;
  /** Training batches; an epoch visits them all in a fresh shuffled order. */
  batches: number;
  /**
   * The order epoch `epoch` (0-based) visits the batches in, e.g. a dataset's seeded order; by
   * default a shuffle drawn from `rng`.
   */
  epochOrder?(epoch: number): number[];
  /** Caps the batches per epoch (a random subset each epoch; quick runs). */
  stepsPerEpoch?: number;
  /**
   * Every variable to checkpoint (weights, buffers and architecture logits) under a stable name:
   * TF.js's own variable names are process-local counters, so checkpoints never use them.
   */
  variables: ReadonlyMap<string, tf.Variable>;
  optimizers: LoopOptimizer[];
  /**
   * Trains on batch `b` (an index below `batches`) at learning rate `lr`; `next` is the batch the
   * following step will take (to read it ahead), if any.
   */
  trainStep(
    b: number,
    ctx: { rng: Rng; lr: number; step: number; next: number | undefined },
  ): StepOutcome | Promise<StepOutcome>;
  /** The dev loss the schedule uses (deterministic given the state, for exact resume). */
  evaluate(ctx: { rng: Rng; epoch: number }): number | DevEvaluation | Promise<number | DevEvaluation>;
  /** A line for the step log, or undefined (written after the step, as JSON). */
  stepLog?(step: number): unknown;
  /** p of every node, recorded in each epoch's history record (the search's stop rule reads it). */
  archProbs?(): number[][];
  /**
   * A stop rule beside the schedule's, given the history including the epoch just ended: the
   * reason to stop, or undefined. A pure function of the history, so resume is exact.
   */
  stopRule?(history: readonly EpochRecord[]): string | undefined;
  /** Called after every step (progress bars) and at each epoch's end. */
  onStep?(s: LoopState, outcome: StepOutcome): void;
  /** Called before the first step of an epoch (or of the rest of it, on resume). */
  onEpochStart?(s: LoopState): void;
  onEpoch?(r: EpochRecord, s: LoopState): void;
  /** Writes a checkpoint at least every this many steps (default 50) and at each epoch end. */
  checkpointEvery?: number;
  /** Test hook: called before each step; throwing from it simulates a kill. */
  beforeStep?(step: number): void;
  /** Stops (with a checkpoint) after this many steps in this process; resume continues. */
  maxStepsThisRun?: number;
}

/** The result of `runLoop`. */
export interface LoopResult {
  state: LoopState;
  /** Whether the stage finished (its schedule stopped) rather than paused. */
  finished: boolean;
  /** Whether it resumed from a checkpoint. */
  resumed: boolean;
}

/** Raised when a checkpoint does not belong to this stage or model; the message names the file. */
export class ResumeError extends Error {
  override name = 'ResumeError';
}

const CKPT = 'checkpoint.ckpt';
const BEST = 'best.ckpt';
const STEPS = 'steps.jsonl';
const HISTORY = 'history.json';

/** What a stage writes to `history.json` after every epoch. */
export interface StageHistory {
  stage: string;
  schedule: PlateauState;
  history: EpochRecord[];
}

/** The path of a stage's `history.json`. */
export function historyPath(dir: string): string {
  return path.join(dir, HISTORY);
}

/** The path of a stage's per-step log. */
export function stepLogPath(dir: string): string {
  return path.join(dir, STEPS);
}

/** The path of a stage's best checkpoint. */
export function bestCheckpointPath(dir: string): string {
  return path.join(dir, BEST);
}

/** Copies variables into checkpoint arrays, keyed by their stable names. */
export function variablesToArrays(
  vars: ReadonlyMap<string, tf.Variable>,
  prefix = 'var/',
): Record<string, CheckpointArray> {
  const out: Record<string, CheckpointArray> = {};
  for (const [name, v] of vars)
    out[prefix + name] = { shape: v.shape.slice(), data: new Float32Array(v.dataSync()) };
  return out;
}

/** Assigns checkpoint arrays to variables by name; throws naming the file and variable on mismatch. */
export function assignVariables(
  file: string,
  arrays: Record<string, CheckpointArray>,
  vars: ReadonlyMap<string, tf.Variable>,
  prefix = 'var/',
): void {
  for (const [name, v] of vars) {
    const a = arrays[prefix + name];
    if (!a) throw new ResumeError(`${file} does not match this model: it has no variable "${name}"`);
    if (a.shape.join(',') !== v.shape.join(',')) {
      throw new ResumeError(
        `${file} does not match this model: "${name}" is [${a.shape}] in the file, [${v.shape}] here`,
      );
    }
  }
  for (const [name, v] of vars) {
    const a = arrays[prefix + name]!;
    tf.tidy(() => v.assign(tf.tensor(a.data, a.shape, 'float32')));
  }
}

/** Fisher-Yates shuffle of 0..n-1 drawn from `rng`. */
export function shuffledOrder(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function stableNames(spec: LoopSpec): Map<string, string> {
  return new Map([...spec.variables].map(([stable, v]) => [v.name, stable]));
}

function save(spec: LoopSpec, s: LoopState): void {
  const arrays = variablesToArrays(spec.variables);
  const stable = stableNames(spec);
  const steps: Record<string, Record<string, number>> = {};
  for (const o of spec.optimizers) {
    steps[o.name] = {};
    for (const [runtime, d] of Object.entries(adamStateToData(o.state))) {
      const name = stable.get(runtime);
      if (name === undefined)
        throw new Error(`${spec.stage}: optimizer "${o.name}" updates a variable not in the checkpoint list`);
      arrays[`adam/${o.name}/m/${name}`] = { shape: d.shape, data: d.m };
      arrays[`adam/${o.name}/v/${name}`] = { shape: d.shape, data: d.v };
      steps[o.name]![name] = d.step;
    }
  }
  writeCheckpoint(path.join(spec.dir, CKPT), {
    state: { loop: { ...s, rng: spec.rng.getState() }, adamSteps: steps },
    arrays,
  });
}

function restore(spec: LoopSpec, file: string): LoopState {
  const ckpt = readCheckpoint<{ loop: LoopState; adamSteps: Record<string, Record<string, number>> }>(file);
  const { loop, adamSteps } = ckpt.state;
  if (!loop || loop.stage !== spec.stage) {
    throw new ResumeError(`${file} is a checkpoint of stage "${loop?.stage}", not "${spec.stage}"`);
  }
  const perEpoch = Math.min(spec.batches, spec.stepsPerEpoch ?? Infinity);
  if (
    loop.order.length !== 0 &&
    (loop.order.length !== perEpoch || loop.order.some((b) => b >= spec.batches))
  ) {
    throw new ResumeError(
      `${file} was written with ${loop.order.length} batches per epoch, not ${perEpoch}: the data or batch size changed`,
    );
  }
  assignVariables(file, ckpt.arrays, spec.variables);
  for (const o of spec.optimizers) {
    const steps = adamSteps[o.name] ?? {};
    const data: Parameters<typeof adamStateFromData>[0] = {};
    for (const [name, step] of Object.entries(steps)) {
      const m = ckpt.arrays[`adam/${o.name}/m/${name}`];
      const v = ckpt.arrays[`adam/${o.name}/v/${name}`];
      const variable = spec.variables.get(name);
      if (!m || !v || !variable)
        throw new ResumeError(`${file} has Adam moments of "${name}" that this model lacks`);
      data[variable.name] = { step, shape: m.shape, m: m.data, v: v.data };
    }
    disposeAdamState(o.state);
    for (const [k, slot] of adamStateFromData(data).slots) o.state.slots.set(k, slot);
  }
  spec.rng.setState(loop.rng);
  return loop;
}

/** Keeps only the step-log lines up to `step` (a resumed run rewrites the rest identically). */
function truncateStepLog(file: string, step: number): void {
  if (!existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const kept = lines.filter((l) => {
    try {
      return (JSON.parse(l) as { step: number }).step <= step;
    } catch {
      return false;
    }
  });
  writeFileAtomic(file, kept.map((l) => `${l}\n`).join(''));
}

/**
 * Runs a training stage to the end of its schedule, resuming from `dir/checkpoint.ckpt` when it
 * exists. Every source of randomness is `spec.rng`, whose state is checkpointed with the weights,
 * the Adam moments and step counts, the schedule and the position in the epoch, so a run killed
 * at any point and restarted ends with the same weights as one that never stopped (on a
 * deterministic backend). Checkpoints are atomic; the best one is written when the dev loss is
 * the lowest so far.
 */
export async function runLoop(spec: LoopSpec): Promise<LoopResult> {
  mkdirSync(spec.dir, { recursive: true });
  const ckptFile = path.join(spec.dir, CKPT);
  const stepsFile = path.join(spec.dir, STEPS);
  const resumed = existsSync(ckptFile);
  let s: LoopState;
  if (resumed) {
    s = restore(spec, ckptFile);
    truncateStepLog(stepsFile, s.step);
  } else {
    s = {
      stage: spec.stage,
      step: 0,
      order: [],
      pos: 0,
      rng: spec.rng.getState(),
      schedule: plateauInit(spec.schedule),
      sumLoss: 0,
      applied: 0,
      skipped: 0,
      frames: 0,
      seconds: 0,
      history: [],
      done: false,
    };
    writeFileAtomic(stepsFile, '');
  }
  if (spec.batches < 1)
    throw new RangeError(`${spec.stage}: no training batches (the training set is empty)`);
  const every = spec.checkpointEvery ?? 50;
  let thisRun = 0;
  let logBuffer = '';
  const flushLog = () => {
    if (!logBuffer) return;
    // Appending is enough: on resume, lines past the checkpoint (or a torn last line) are dropped.
    appendFileSync(stepsFile, logBuffer);
    logBuffer = '';
  };
  const checkpoint = () => {
    flushLog();
    save(spec, s);
  };
  while (!s.schedule.stopped) {
    if (s.order.length === 0) {
      const order = spec.epochOrder
        ? spec.epochOrder(s.schedule.epoch)
        : shuffledOrder(spec.batches, spec.rng);
      if (order.length !== spec.batches)
        throw new Error(`${spec.stage}: epochOrder gave ${order.length} batches, expected ${spec.batches}`);
      s.order = order.slice(0, spec.stepsPerEpoch ?? spec.batches);
      s.pos = 0;
    }
    spec.onEpochStart?.(s);
    while (s.pos < s.order.length) {
      if (spec.maxStepsThisRun !== undefined && thisRun >= spec.maxStepsThisRun) {
        checkpoint();
        return { state: s, finished: false, resumed };
      }
      spec.beforeStep?.(s.step);
      const t0 = performance.now();
      const outcome = await spec.trainStep(s.order[s.pos]!, {
        rng: spec.rng,
        lr: s.schedule.lr,
        step: s.step,
        next: s.order[s.pos + 1],
      });
      s.seconds += (performance.now() - t0) / 1000;
      s.frames += outcome.frames;
      if (outcome.skipped) s.skipped++;
      else {
        s.sumLoss += outcome.loss;
        s.applied++;
      }
      s.pos++;
      s.step++;
      thisRun++;
      const line = spec.stepLog?.(s.step);
      if (line !== undefined) logBuffer += `${JSON.stringify(line)}\n`;
      spec.onStep?.(s, outcome);
      if (s.step % every === 0 && s.pos < s.order.length) checkpoint();
    }
    const dev = await spec.evaluate({ rng: spec.rng, epoch: s.schedule.epoch + 1 });
    const devLoss = typeof dev === 'number' ? dev : dev.loss;
    const devDetail =
      typeof dev === 'number' || dev.ctc === undefined
        ? {}
        : { devInfinite: dev.infinite ?? 0, devUtterances: dev.utterances ?? 0, devCtcLoss: dev.ctc };
    const lr = s.schedule.lr;
    const decision = plateauStep(spec.schedule, s.schedule, devLoss);
    const record: EpochRecord = {
      epoch: decision.state.epoch,
      trainLoss: s.applied > 0 ? s.sumLoss / s.applied : Number.NaN,
      devLoss,
      lr,
      skipped: s.skipped,
      framesPerSecond: s.seconds > 0 ? s.frames / s.seconds : 0,
      ...(spec.archProbs ? { archProbs: spec.archProbs() } : {}),
      ...devDetail,
    };
    let schedule = decision.state;
    // The stage's own rule also names the stop when it coincides with the epoch cap.
    const rule = spec.stopRule?.([...s.history, record]);
    if (rule && (!schedule.stopped || schedule.epoch >= spec.schedule.maxEpochs))
      schedule = { ...schedule, stopped: true, reason: rule };
    if (decision.saveBest) {
      writeCheckpoint(bestCheckpointPath(spec.dir), {
        state: { stage: spec.stage, epoch: record.epoch, devLoss, step: s.step },
        arrays: variablesToArrays(spec.variables),
      });
    }
    s = {
      ...s,
      schedule,
      order: [],
      pos: 0,
      sumLoss: 0,
      applied: 0,
      skipped: 0,
      frames: 0,
      seconds: 0,
      history: [...s.history, record],
    };
    spec.onEpoch?.(record, s);
    s.done = s.schedule.stopped;
    checkpoint();
    // A small summary beside the checkpoint, for reports (the checkpoint holds the same and more).
    writeFileAtomic(
      path.join(spec.dir, HISTORY),
      `${JSON.stringify({ stage: spec.stage, schedule: s.schedule, history: s.history }, null, 1)}\n`,
    );
  }
  return { state: s, finished: true, resumed };
}
