import path from 'node:path';
import type { BackendRequest } from '../backend/select-backend';
import { writeExperimentReport } from './experiment-report';
import { pinPlan } from './job-store';
import { defaultPoolSize, type ExperimentProgress, runLocalPool } from './local-pool';
import { readPlan } from './plan';
import { runOnQueue } from './queue-flow';
import { parseQueueUrl } from './redis-url';
import { collectResults, type ExperimentResults, formatExperimentResults, writeResults } from './results';

/** Options of `stnas experiment`. */
export interface ExperimentInputs {
  /** The plan file. */
  plan: string;
  /** The experiment directory (every job's run directory is under it). */
  out: string;
  /** Local pool size (default: cores / the plan's threadsPerJob). Ignored with `queue`. */
  jobs?: number;
  /** A redis:// or rediss:// URL: run the jobs on `stnas worker` processes instead of a local pool. */
  queue?: string;
  /** The backend of the local pool's jobs (workers choose their own). */
  backend: BackendRequest;
  onProgress?: (p: ExperimentProgress) => void;
}

/** What `stnas experiment` returns. */
export interface ExperimentOutcome {
  results: ExperimentResults;
  table: string;
  resultsFile: string;
  report: string;
}

/**
 * `stnas experiment`: validates the plan, pins DIR to it, runs every job that has not finished
 * (on a local pool of child processes, or on BullMQ workers with `queue`), then writes
 * `DIR/results.json` and `DIR/report.html`.
 */
export async function runExperiment(i: ExperimentInputs): Promise<ExperimentOutcome> {
  const plan = readPlan(i.plan);
  const target = i.queue === undefined ? undefined : parseQueueUrl(i.queue);
  const dir = path.resolve(i.out);
  pinPlan(dir, plan);
  if (target) await runOnQueue(plan, dir, { queue: target, onProgress: i.onProgress });
  else
    await runLocalPool(plan, dir, {
      jobs: i.jobs ?? defaultPoolSize(plan.threadsPerJob),
      backend: i.backend,
      onProgress: i.onProgress,
    });
  const results = collectResults(plan, dir);
  return {
    results,
    table: formatExperimentResults(results),
    resultsFile: writeResults(dir, results),
    report: writeExperimentReport(dir, results),
  };
}
