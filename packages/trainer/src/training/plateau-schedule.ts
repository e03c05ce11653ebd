// The stop rules and learning-rate schedules of the reference's `Lr_Scheduler_MileStone`
// (thu-spmi/ST-NAS: ASR/scripts/toolkit), as pure functions of the dev-loss history, so a
// checkpoint holds the whole schedule as plain numbers and resume is exact.

/** Options of a plateau schedule; the three stages are presets of it. */
export interface PlateauOptions {
  /** Initial learning rate. */
  lr: number;
  /** Epochs that only track the best loss; no decay or stop before this many epochs. */
  minEpochs: number;
  /** Non-improving epochs in a row that trigger a decay. */
  patience: number;
  /** Learning-rate multiplier at a decay. */
  factor: number;
  /** The run stops when the learning rate falls below this. */
  floor: number;
  /** A loss improves only if it is below the reference loss by at least this much. */
  minImprove: number;
  /** Whether the bad-epoch count restarts after a decay (the reference's search does not). */
  resetAfterDecay: boolean;
  /** Hard cap on epochs (the run stops after this many). */
  maxEpochs: number;
}

/** A schedule's state after some epochs: plain numbers, JSON-serialisable. */
export interface PlateauState {
  /** Epochs seen. */
  epoch: number;
  /** Current learning rate. */
  lr: number;
  /** Lowest dev loss seen (the best checkpoint holds the weights that gave it). */
  best: number;
  /** Epoch (1-based) of the best loss, 0 before any. */
  bestEpoch: number;
  /** The loss a later epoch must beat by `minImprove` to count as improving. */
  reference: number;
  /** Non-improving epochs in a row. */
  bad: number;
  /** Whether the run has stopped. */
  stopped: boolean;
  /** Why it stopped, once it has. */
  reason?: string;
}

/** What one epoch's dev loss did to the schedule. */
export interface PlateauDecision {
  state: PlateauState;
  /** The loss is the lowest so far: write the best checkpoint. */
  saveBest: boolean;
  /** The learning rate changed this epoch. */
  decayed: boolean;
}

/** The initial state of a schedule. */
export function plateauInit(o: PlateauOptions): PlateauState {
  return { epoch: 0, lr: o.lr, best: Infinity, bestEpoch: 0, reference: Infinity, bad: 0, stopped: false };
}

/**
 * Feeds one epoch's dev loss. The best checkpoint is saved whenever the loss is the lowest so far,
 * including during the first `minEpochs` (the reference saved nothing when no later epoch improved;
 * this never leaves a run without a best checkpoint). A non-finite loss counts as non-improving.
 */
export function plateauStep(o: PlateauOptions, s: PlateauState, loss: number): PlateauDecision {
  if (s.stopped) return { state: s, saveBest: false, decayed: false };
  const epoch = s.epoch + 1;
  const finite = Number.isFinite(loss);
  const saveBest = finite && loss < s.best;
  const next: PlateauState = {
    ...s,
    epoch,
    best: saveBest ? loss : s.best,
    bestEpoch: saveBest ? epoch : s.bestEpoch,
  };
  let decayed = false;
  if (epoch <= o.minEpochs) {
    if (finite) next.reference = Math.min(next.reference, loss);
  } else if (finite && loss <= s.reference - o.minImprove) {
    next.reference = loss;
    next.bad = 0;
  } else {
    next.bad = s.bad + 1;
    if (next.bad >= o.patience) {
      next.lr = s.lr * o.factor;
      decayed = true;
      if (o.resetAfterDecay) next.bad = 0;
      if (next.lr < o.floor * (1 - 1e-9)) {
        next.stopped = true;
        next.reason = `learning rate ${next.lr.toExponential(1)} fell below ${o.floor.toExponential(1)}`;
      }
    }
  }
  if (!next.stopped && epoch >= o.maxEpochs) {
    next.stopped = true;
    next.reason = `reached the maximum of ${o.maxEpochs} epochs`;
  }
  return { state: next, saveBest, decayed };
}

/**
 * Warmup (reference: lr 1e-3, minLossImprove 0.5, lr_stop = lr): after `minEpochs`, stop once the
 * dev loss has failed 3 epochs in a row to improve by `minLossImprove`.
 */
export function warmupSchedule(
  p: { lr?: number; minEpochs?: number; minLossImprove?: number; maxEpochs?: number } = {},
): PlateauOptions {
  const lr = p.lr ?? 1e-3;
  return {
    lr,
    minEpochs: p.minEpochs ?? 10,
    patience: 3,
    factor: 0.1,
    floor: lr,
    minImprove: p.minLossImprove ?? 0.5,
    resetAfterDecay: false,
    maxEpochs: p.maxEpochs ?? 1000,
  };
}

/**
 * Search (reference: no minimum; after 3 non-improving epochs the weight lr goes 1e-3 -> 1e-4; the
 * count is not reset, so the next non-improving epoch ends the search).
 */
export function searchSchedule(
  p: { lr?: number; minEpochs?: number; maxEpochs?: number } = {},
): PlateauOptions {
  const lr = p.lr ?? 1e-3;
  return {
    lr,
    minEpochs: p.minEpochs ?? 0,
    patience: 3,
    factor: 0.1,
    floor: lr * 0.1,
    minImprove: 0,
    resetAfterDecay: false,
    maxEpochs: p.maxEpochs ?? 1000,
  };
}

/**
 * Retrain (reference: after `minEpochs` = 10, lr x0.1 on every non-improving epoch; stop when the
 * lr falls below the floor 1e-5).
 */
export function retrainSchedule(
  p: { lr?: number; minEpochs?: number; floor?: number; maxEpochs?: number } = {},
): PlateauOptions {
  return {
    lr: p.lr ?? 1e-3,
    minEpochs: p.minEpochs ?? 10,
    patience: 1,
    factor: 0.1,
    floor: p.floor ?? 1e-5,
    minImprove: 0,
    resetAfterDecay: true,
    maxEpochs: p.maxEpochs ?? 1000,
  };
}
