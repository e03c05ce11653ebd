import os from 'node:os';
import type { BackendRequest } from '../backend/select-backend';
import { stageJobs } from './job-graph';
import { type JobExit, spawnJob } from './job-process';
import { isJobDone, jobLog, STAGES, writeJobSpec } from './job-store';
import type { ExperimentPlan } from './plan';

/** A job that failed every attempt. */
export interface FailedJob {
  id: string;
  attempts: number;
  /** Why the last attempt failed. */
  reason: string;
  log: string;
}

/** Some jobs failed every attempt: the experiment stops (exit code 1) and names them with their logs. */
export class ExperimentFailedError extends Error {
  override name = 'ExperimentFailedError';
  constructor(readonly failed: FailedJob[]) {
    failed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    super(
      `${failed.length} job${failed.length === 1 ? '' : 's'} failed: ${failed
        .map(
          (f) =>
            `${f.id} (${f.reason} after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}; log ${f.log})`,
        )
        .join('; ')}`,
    );
  }
}

/** Progress of an experiment: jobs finished, running and failed so far. */
export interface ExperimentProgress {
  stage: string;
  done: number;
  running: number;
  failed: number;
  total: number;
}

/** The local pool's default size: cores divided by the threads one job uses (at least 1). */
export function defaultPoolSize(threadsPerJob: number): number {
  return Math.max(1, Math.floor(os.availableParallelism() / threadsPerJob));
}

/**
 * Runs an experiment's jobs as child processes on this machine, `jobs` at a time, stage after
 * stage (no server). Finished jobs are skipped, so a rerun repeats none; a failed job is retried
 * up to `plan.attempts` times, and the stage's failures end the experiment.
 */
export async function runLocalPool(
  plan: ExperimentPlan,
  dir: string,
  o: { jobs: number; backend: BackendRequest; onProgress?: (p: ExperimentProgress) => void },
): Promise<void> {
  for (const stage of STAGES) {
    const specs = stageJobs(plan, dir, stage);
    for (const s of specs) writeJobSpec(dir, s);
    const todo = specs.filter((s) => !isJobDone(dir, s.id)).map((s) => s.id);
    const p: ExperimentProgress = {
      stage,
      done: specs.length - todo.length,
      running: 0,
      failed: 0,
      total: specs.length,
    };
    o.onProgress?.({ ...p });
    const failed: FailedJob[] = [];
    const runOne = async (id: string) => {
      let last: JobExit | undefined;
      for (let attempt = 1; attempt <= plan.attempts; attempt++) {
        p.running++;
        o.onProgress?.({ ...p });
        last = await spawnJob(dir, id, o.backend, { attempt });
        p.running--;
        if (last.code === 0 && isJobDone(dir, id)) {
          p.done++;
          o.onProgress?.({ ...p });
          return;
        }
      }
      p.failed++;
      o.onProgress?.({ ...p });
      failed.push({
        id,
        attempts: plan.attempts,
        reason: last?.signal ? `killed by ${last.signal}` : `exit code ${last?.code}`,
        log: jobLog(dir, id),
      });
    };
    const queue = [...todo];
    await Promise.all(
      Array.from({ length: Math.min(o.jobs, queue.length) }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) await runOne(id);
      }),
    );
    if (failed.length > 0) throw new ExperimentFailedError(failed);
  }
}
