import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDecode } from '../stages/decode';
import { pinConfig } from '../stages/pipeline';
import { configWithOps, runRetrain } from '../stages/retrain';
import { runSearch } from '../stages/search';
import type { SearchEstimator } from '../stages/search-estimators';
import type { StageInputs } from '../stages/stage-common';
import { runWarmup, warmupDir } from '../stages/warmup';
import { runWordDecode } from '../stages/word-decode';
import { bestCheckpointPath } from '../training/train-loop';
import {
  isJobDone,
  jobDir,
  lockJob,
  logJobEvent,
  readJobResult,
  readJobSpec,
  readPinnedPlan,
  writeJobResult,
} from './job-store';
import type { ExperimentPlan } from './plan';

/** What a retrain job records. */
export interface RetrainJobResult {
  ops: string[];
  seed: number;
  params: number;
  /** The model directory, relative to the experiment directory. */
  model: string;
}

/** What a decode job records: the test PER and every utterance's errors (for the bootstrap). */
export interface DecodeJobResult {
  retrain: string;
  per: number;
  errors: number;
  refPhones: number;
  utterances: { key: string; errors: number; refPhones: number }[];
  /** Word error rate, when the plan has a word LM (`decode.wordLm`). */
  wer?: number;
}

function stageInputs(plan: ExperimentPlan, out: string, seed: number, log: (l: string) => void): StageInputs {
  const z = plan.sizes;
  return {
    config: plan.config,
    data: plan.data.train,
    dev: plan.data.dev,
    lexicon: plan.data.lexicon,
    units: plan.data.units,
    out,
    seed,
    batchSize: z.batchSize,
    lr: z.lr,
    maxEpochs: z.warmupEpochs,
    stepsPerEpoch: z.stepsPerEpoch,
    checkpointEvery: z.checkpointEvery,
    maxUtts: z.maxUtts,
    progress: { write: () => {}, isTTY: false },
    log,
  };
}

/**
 * Runs one job of the experiment in `dir` in this process (what a pool child or a BullMQ worker's
 * child runs): the existing stage code in `DIR/jobs/<id>`, which resumes from its checkpoint. A
 * finished job (its result.json exists) is not run again.
 */
export async function runExperimentJob(dir: string, id: string, log: (line: string) => void): Promise<void> {
  if (isJobDone(dir, id)) return;
  const who = `${os.hostname()} pid ${process.pid}`;
  const unlock = lockJob(dir, id);
  try {
    await runLocked(dir, id, who, log);
  } finally {
    unlock();
  }
}

async function runLocked(dir: string, id: string, who: string, log: (line: string) => void): Promise<void> {
  const plan = readPinnedPlan(dir);
  const spec = readJobSpec(dir, id);
  const out = jobDir(dir, id);
  logJobEvent(dir, id, `start ${who}`);
  const z = plan.sizes;
  // Whether the stage continued from a checkpoint of an earlier (killed) attempt.
  let resumed = false;
  switch (spec.kind) {
    case 'warmup': {
      const i = stageInputs(plan, out, spec.seed, log);
      pinConfig(out, plan.config);
      const r = await runWarmup({ ...i, minEpochs: z.warmupMinEpochs, minLossImprove: 0.5 });
      resumed = r.resumed;
      writeJobResult(dir, id, { best: r.state.schedule.best, epochs: r.state.schedule.epoch });
      break;
    }
    case 'search': {
      const i = stageInputs(plan, out, spec.seed, log);
      pinConfig(out, plan.config);
      // The search starts from its seed's warmup, shared by every estimator: a copy of its best
      // checkpoint where runSearch looks (renamed into place, so a killed copy never counts).
      const dst = bestCheckpointPath(warmupDir(out));
      if (!existsSync(dst)) {
        mkdirSync(path.dirname(dst), { recursive: true });
        copyFileSync(bestCheckpointPath(warmupDir(jobDir(dir, spec.warmup))), `${dst}.tmp`);
        renameSync(`${dst}.tmp`, dst);
      }
      const { derived, loop } = await runSearch({
        ...i,
        maxEpochs: z.searchEpochs,
        estimator: spec.estimator as SearchEstimator,
        heldOutRatio: plan.search.heldOutRatio,
        archLr: plan.search.archLr,
      });
      resumed = loop.resumed;
      if (!derived) throw new Error(`the search paused at step ${loop.state.step} before finishing`);
      writeJobResult(dir, id, { ops: derived.ops, probs: derived.probs });
      break;
    }
    case 'retrain': {
      const i = stageInputs(plan, out, spec.seed, log);
      const { loss, crfLambda, crfOrder } = plan.retrain;
      const r = await runRetrain({
        ...i,
        ...(loss ? { loss, crfLambda, crfOrder } : {}),
        architecture: configWithOps(plan.config, spec.ops),
        name: 'retrain',
        maxEpochs: z.retrainEpochs,
        minEpochs: z.retrainMinEpochs,
        lrFloor: 1e-5,
      });
      resumed = r.loop.resumed;
      const result: RetrainJobResult = {
        ops: spec.ops,
        seed: spec.seed,
        params: r.manifest.params,
        model: path.relative(dir, r.modelDir),
      };
      writeJobResult(dir, id, result);
      break;
    }
    case 'decode': {
      const model = path.join(dir, readJobResult<RetrainJobResult>(dir, spec.retrain).model);
      const inputs = {
        model,
        data: plan.data.test,
        beam: plan.decode.beam,
        lm: plan.decode.lm,
        lmWeight: plan.decode.lmWeight,
        maxUtts: z.maxUtts,
      };
      const r = plan.decode.wordLm
        ? await runWordDecode({
            ...inputs,
            wordLm: plan.decode.wordLm,
            wordLmWeight: plan.decode.wordLmWeight,
            ...(plan.decode.beam > 0 ? { wordBeam: plan.decode.beam } : {}),
          })
        : await runDecode(inputs);
      const result: DecodeJobResult = {
        retrain: spec.retrain,
        per: r.per,
        errors: r.errors,
        refPhones: r.refPhones,
        utterances: r.perUtterance,
        ...('wer' in r && typeof r.wer === 'number' ? { wer: r.wer } : {}),
      };
      writeJobResult(dir, id, result);
      break;
    }
  }
  logJobEvent(dir, id, `finish ${who}${resumed ? ' resumed' : ''}`);
  log(`job ${id} finished${resumed ? ' (resumed from its checkpoint)' : ''}`);
}
