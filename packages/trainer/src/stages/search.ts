import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildSupernet, deriveArchitecture, type StnasConfig } from '@stnas/search-space';
import { createEstimator } from '@stnas/st-estimator';
import { InputError } from '../errors';
import { ensureDir } from '../files';
import {
  DEFAULT_DECISION_RULE,
  type DecisionRule,
  decisionStop,
  undecidedWarning,
} from '../search-health/decision-rule';
import { nodeEntropies } from '../search-health/node-entropy';
import {
  conditionalLosses,
  countPaths,
  DEFAULT_PATH_CHECK,
  enumeratePaths,
  expectedLossGradient,
  type PathCheck,
  type PathLoss,
  pathCheckLine,
  pathRank,
} from '../search-health/path-table';
import { createAdam, disposeAdamState } from '../training/adam';
import { readCheckpoint, writeFileAtomic } from '../training/checkpoint';
import { legUpdate } from '../training/leg-update';
import { searchSchedule } from '../training/plateau-schedule';
import { safeUpdate } from '../training/safe-update';
import {
  assignVariables,
  bestCheckpointPath,
  type EpochRecord,
  type LoopResult,
} from '../training/train-loop';
import { augmentBatch } from '../training/training-options';
import type { SearchEstimator } from './search-estimators';
import { checkSetFits, devBatches, loadStageData, modelVariables, type StageInputs } from './stage-common';
import { setupStage } from './stage-objective';
import { runWithProgress } from './stage-runner';
import { warmupDir } from './warmup';

export { SEARCH_ESTIMATORS, type SearchEstimator } from './search-estimators';

/** Options of the search stage beyond the shared ones. */
export interface SearchInputs extends StageInputs {
  estimator: SearchEstimator;
  /** Fraction of the training set moved to the held-out split (reference `ratioTestShared` 0.1). */
  heldOutRatio: number;
  /** Adam learning rate of the architecture logits (reference 5e-3). */
  archLr: number;
  /** When the search has decided and stops (default `DEFAULT_DECISION_RULE`); `maxEpochs` caps it. */
  decision?: DecisionRule;
  /**
   * The most paths the search evaluates one by one on the held-out split when it ends (the path
   * check, `OUT/search/paths.json`); a larger space is not checked; 0 turns it off. Default
   * `DEFAULT_PATH_CHECK`.
   */
  pathCheck?: number;
}

/** The search stage's directory in a run directory. */
export const searchDir = (out: string) => path.join(out, 'search');

/** The derived architecture a search writes: the reference config with one op per node. */
export interface DerivedArchitecture {
  config: StnasConfig;
  /** The chosen op of each searchable node, in order. */
  ops: string[];
  /** p of every node when it was derived. */
  probs: number[][];
  /** The entropy of each node's p (nats) when it was derived. */
  entropy?: number[];
  /** Each searchable node's candidate names, in node order. */
  candidates?: string[][];
  estimator: SearchEstimator;
  /** The rule the search stopped on once decided. */
  decision?: DecisionRule;
  /** Why the search stopped. */
  stopReason?: string;
  /** "the search did not decide: ..." when some node's largest p ended below the threshold. */
  warning?: string;
  /** Where the derived architecture ranks among all paths (small spaces; see `pathCheck`). */
  pathCheck?: PathCheck;
}

const round6 = (x: number) => Number(x.toPrecision(6));

/** One line of the search's epoch log: each node's largest p and entropy. */
export function searchEpochNote(r: EpochRecord): string {
  if (!r.archProbs?.length) return '';
  const h = nodeEntropies(r.archProbs);
  return `; largest p (entropy) per node: ${r.archProbs.map((p, n) => `${Math.max(...p).toFixed(3)} (${h[n]!.toFixed(2)})`).join(', ')}`;
}

/**
 * The search (NASTop.py, MODE=archsearch): each step first takes an architecture step on a
 * held-out batch (candidates planned by the estimator, e.g. ST: sample k ~ p, forward o_k, gradient
 * <dL/dy, o_i> to every logit; 'leg': the local expectation gradient over whole paths, dropout off;
 * Adam on the logits only) and then a weight step on a train batch
 * (one path sampled from p; Adam on that path's weights). p of every node and its entropy are logged
 * at every step (`steps.jsonl`: `{ step, p, h }`) and p at every epoch's end (history). Stops when
 * the decision is stable (`decision`), at `maxEpochs`, or on the reference's plateau rule. Starts
 * from the warmup's best checkpoint; the dev loss uses the argmax architecture. The architecture is
 * derived from p at the end of the search, the decision the stop rule judged (the reference derived
 * from its lowest-dev-loss checkpoint, which can predate the decision). `derived` is undefined only
 * when the run paused (`maxStepsThisRun`) before the search finished.
 */
export async function runSearch(
  i: SearchInputs,
): Promise<{ loop: LoopResult; derived: DerivedArchitecture | undefined }> {
  const warm = bestCheckpointPath(warmupDir(i.out));
  if (!existsSync(warm))
    throw new InputError(
      `search starts from the warmup's best checkpoint, but ${warm} does not exist (run 'stnas warmup' first)`,
    );
  const d = await loadStageData(i);
  const model = buildSupernet(i.config, { seed: i.seed });
  const variables = modelVariables(model);
  const wAdam = createAdam({ lr: i.lr });
  const aAdam = createAdam({ lr: i.archLr });
  const wOpt = { name: 'weights', adam: wAdam, state: wAdam.init() };
  const aOpt = { name: 'arch', adam: aAdam, state: aAdam.init() };
  try {
    const dir = ensureDir(searchDir(i.out));
    const ckptFile = path.join(dir, 'checkpoint.ckpt');
    if (!existsSync(ckptFile)) assignVariables(warm, readCheckpoint(warm).arrays, variables);
    // The reference's random_split (ArchSearch.py): a seeded share of the training utterances
    // becomes the held-out split the architecture steps use.
    const split = d.train.dataset.split(i.heldOutRatio, 0);
    const n = split.heldOut.utts.length;
    if (n < 1 || split.train.utts.length < 1) {
      throw new InputError(
        `a held-out ratio of ${i.heldOutRatio} leaves ${n} of ${d.train.dataset.utts.length} utterances held out; need at least 1 on each side`,
      );
    }
    const trainSet = d.train.subset(split.train.utts);
    const heldSet = d.train.subset(split.heldOut.utts);
    checkSetFits(i, 'search', model, i.config, trainSet, 'weights');
    checkSetFits(i, 'search (architecture steps)', model, i.config, heldSet, 'arch');
    const train = trainSet.reader();
    const { config: training, objective, evaluate } = await setupStage(i, 'search', dir, d);
    const estimator = i.estimator === 'leg' ? undefined : createEstimator(i.estimator);
    const weights = model.weightVariables();
    const arch = model.archVariables();
    const rule = i.decision ?? DEFAULT_DECISION_RULE;
    if (arch.length === 0)
      throw new InputError('the config has no node with more than one candidate: nothing to search');
    const loop = await runWithProgress(i, {
      stage: 'search',
      dir,
      schedule: searchSchedule({ lr: i.lr, maxEpochs: i.maxEpochs }),
      batches: trainSet.numBatches,
      epochOrder: (e) => trainSet.dataset.batchOrder(e),
      stepsPerEpoch: i.stepsPerEpoch,
      variables,
      optimizers: [wOpt, aOpt],
      checkpointEvery: i.checkpointEvery,
      async trainStep(b, { rng, lr, step, next }) {
        const hb = await heldSet.batch(rng.nextInt(heldSet.numBatches));
        i.onBatch?.('heldOut', hb);
        const a = estimator
          ? safeUpdate(
              () => objective.batchLoss(model, hb, { mode: 'search', rng, estimator, training: true, step }),
              arch,
              aAdam,
              aOpt.state,
              i.archLr,
            )
          : legUpdate(model, hb, objective, rng, aAdam, aOpt.state, i.archLr);
        const batch = augmentBatch(await train.get(b, next), training.specAugment, i.seed, 'search', step);
        i.onBatch?.('train', batch);
        const w = safeUpdate(
          () => objective.batchLoss(model, batch, { mode: 'train', rng, training: true, step }),
          weights,
          wAdam,
          wOpt.state,
          lr,
        );
        const skipped = [
          a.skipped && `architecture step: ${a.skipped}`,
          w.skipped && `weight step: ${w.skipped}`,
        ]
          .filter(Boolean)
          .join('; ');
        return { loss: w.loss, frames: batch.frames + hb.frames, skipped: skipped || undefined };
      },
      evaluate: () =>
        evaluate(model, devBatches(i, d), () => ({ mode: 'eval', argmax: true, training: false })),
      stepLog: (step) => {
        const p = model.archProbs();
        return { step, p: p.map((q) => q.map(round6)), h: nodeEntropies(p).map(round6) };
      },
      archProbs: () => model.archProbs().map((q) => q.map(round6)),
      stopRule: (h) =>
        decisionStop(
          rule,
          h.map((r) => r.archProbs ?? []),
        ),
      epochNote: searchEpochNote,
    });
    if (!loop.finished) return { loop, derived: undefined };
    const config = deriveArchitecture(model);
    const probs = model.archProbs();
    const candidates = model.nodes().map((n) => n.candidates.map((c) => c.name));
    const chosen = model.nodes().map((n) => n.best());
    const table = await evaluatePaths(
      candidates,
      i.pathCheck ?? DEFAULT_PATH_CHECK,
      (paths) => i.log(`path check: evaluating ${paths} paths on ${n} held-out utterances`),
      i.log,
      async (choices) => {
        const batches = async function* () {
          for (let b = 0; b < heldSet.numBatches; b++) yield await heldSet.batch(b);
        };
        const r = await evaluate(model, batches(), () => ({ mode: 'eval', choices, training: false }));
        return r.loss;
      },
    );
    const pathCheck = table && writePathCheck(dir, table, candidates, probs, chosen, n, i.log);
    const derived: DerivedArchitecture = {
      config,
      ops: model.nodes().map((n) => n.candidates[n.best()]!.name),
      probs,
      entropy: nodeEntropies(probs),
      candidates,
      estimator: i.estimator,
      decision: rule,
      stopReason: loop.state.schedule.reason,
      warning: undecidedWarning(
        probs,
        candidates,
        rule.threshold,
        table && { conditional: conditionalLosses(probs, table), paths: table.length },
      ),
      pathCheck,
    };
    writeFileAtomic(path.join(dir, 'architecture.json'), `${JSON.stringify(derived, null, 2)}\n`);
    return { loop, derived };
  } finally {
    disposeAdamState(wOpt.state);
    disposeAdamState(aOpt.state);
    model.dispose();
    await d.close();
  }
}

/**
 * The held-out loss of every path (`evaluate` gives one), or undefined when the space has more
 * than `max` paths (logged) or `max` is 0.
 */
async function evaluatePaths(
  candidates: readonly (readonly string[])[],
  max: number,
  starting: (paths: number) => void,
  log: (line: string) => void,
  evaluate: (choices: number[]) => Promise<number>,
): Promise<PathLoss[] | undefined> {
  if (max <= 0) return undefined;
  const counts = candidates.map((c) => c.length);
  const paths = enumeratePaths(counts, max);
  if (!paths) {
    log(
      `path check skipped: the space has ${countPaths(counts).toLocaleString('en-US')} paths, more than ${max}`,
    );
    return undefined;
  }
  starting(paths.length);
  const table: PathLoss[] = [];
  for (const choices of paths) table.push({ choices, loss: await evaluate(choices) });
  return table;
}

/**
 * Writes OUT/search/paths.json (every path's held-out loss, best first; the derived architecture's
 * rank; per node the expected loss with each candidate and the exact gradient of the expected loss
 * in the logits), logs the rank and returns the summary.
 */
function writePathCheck(
  dir: string,
  table: readonly PathLoss[],
  candidates: readonly (readonly string[])[],
  probs: readonly (readonly number[])[],
  chosen: readonly number[],
  utterances: number,
  log: (line: string) => void,
): PathCheck {
  const opsOf = (c: readonly number[]) => c.map((k, n) => candidates[n]![k]!);
  const sorted = [...table].sort((a, b) => a.loss - b.loss);
  const own = table.find((r) => r.choices.every((c, n) => c === chosen[n]))!;
  const check: PathCheck = {
    split: 'held-out',
    utterances,
    paths: table.length,
    rank: pathRank(table, chosen),
    loss: round6(own.loss),
    best: opsOf(sorted[0]!.choices),
    bestLoss: round6(sorted[0]!.loss),
  };
  const round = (m: number[][]) => m.map((r) => r.map(round6));
  writeFileAtomic(
    path.join(dir, 'paths.json'),
    `${JSON.stringify(
      {
        split: check.split,
        utterances: check.utterances,
        derived: opsOf(chosen),
        rank: check.rank,
        loss: check.loss,
        best: check.best,
        bestLoss: check.bestLoss,
        probs: round(probs.map((p) => [...p])),
        candidates,
        // Every path, best first (the summary's `paths` count is this list's length).
        paths: sorted.map((r) => ({ ops: opsOf(r.choices), loss: round6(r.loss) })),
        conditionalLoss: round(conditionalLosses(probs, table)),
        expectedLossGradient: round(expectedLossGradient(probs, table)),
      },
      null,
      2,
    )}\n`,
  );
  log(`path check: ${pathCheckLine(check)}`);
  return check;
}
