import { existsSync } from 'node:fs';
import os from 'node:os';
import { type Job, Queue, WaitingChildrenError, Worker } from 'bullmq';
import type { BackendRequest } from '../backend/select-backend';
import { stageJobs } from './job-graph';
import { spawnJob } from './job-process';
import { isJobDone, planFile, readPinnedPlan, STAGES, writeJobSpec } from './job-store';
import { probeQueue, type QueueTarget, redisClient } from './redis-url';

/** The BullMQ queue every experiment job goes through. */
export const QUEUE_NAME = 'stnas-experiment';

/** Data of the experiment's root job: its directory and the next stage to enqueue. */
export interface RootJobData {
  dir: string;
  step: number;
}

/** Data of one stage job. */
export interface TaskJobData {
  dir: string;
  id: string;
  /** The root job's id (which experiment it belongs to). */
  root: string;
}

/** The BullMQ job id of an experiment job under a root (unique per `stnas experiment` run). */
export const taskJobId = (root: string, id: string) => `${root}.${id}`;

/** The child jobs of one stage of an experiment, as FlowProducer / Queue.addBulk entries. */
export function stageChildren(dir: string, root: string, step: number, attempts: number) {
  const plan = readPinnedPlan(dir);
  const specs = stageJobs(plan, dir, STAGES[step]!);
  for (const s of specs) writeJobSpec(dir, s);
  return specs
    .filter((s) => !isJobDone(dir, s.id))
    .map((s) => ({
      name: s.kind,
      queueName: QUEUE_NAME,
      data: { dir, id: s.id, root } satisfies TaskJobData,
      opts: { jobId: taskJobId(root, s.id), attempts, failParentOnFailure: true },
    }));
}

/**
 * The root job's processor (BullMQ's step-job pattern): each time it runs it enqueues the next
 * stage's jobs as its children and waits for them (`moveToWaitingChildren`), since the retrain
 * jobs depend on what the searches found. A stalled root resumes at the stage recorded in its data;
 * children re-added under the same ids are not duplicated.
 */
async function processRoot(job: Job<RootJobData>, token: string, queue: Queue): Promise<unknown> {
  let step = job.data.step;
  const plan = readPinnedPlan(job.data.dir);
  while (step < STAGES.length) {
    const children = stageChildren(job.data.dir, job.id!, step, plan.attempts);
    if (children.length > 0)
      await queue.addBulk(
        children.map((c) => ({
          name: c.name,
          data: c.data,
          opts: { ...c.opts, parent: { id: job.id!, queue: job.queueQualifiedName } },
        })),
      );
    step++;
    await job.updateData({ ...job.data, step });
    if (children.length > 0 && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
  }
  return { stages: STAGES.length };
}

/** Options of `stnas worker`. */
export interface QueueWorkerOptions {
  queue: QueueTarget;
  /** Jobs this worker runs at once (each a child process). */
  concurrency: number;
  backend: BackendRequest;
  /** BullMQ's lock duration and stalled-job check interval, in ms (default 30000). */
  stalledMs?: number;
  log: (line: string) => void;
  /** Stops the worker (after its running jobs) when aborted; SIGINT and SIGTERM also do. */
  signal?: AbortSignal;
}

/**
 * `stnas worker`: takes experiment jobs from the queue and runs each as a child process in the
 * experiment's directory, which must be visible at the same path on every worker (a shared
 * filesystem). A job whose worker died is handed to another worker by BullMQ's stalled-job check;
 * the stage code resumes from its checkpoint. Resolves when the worker was stopped.
 */
export async function runQueueWorker(o: QueueWorkerOptions): Promise<void> {
  await probeQueue(o.queue);
  const host = os.hostname();
  // BullMQ leaves clients it was given open on close(): they are disconnected at the end.
  const clients = [redisClient(o.queue), redisClient(o.queue)] as const;
  const queue = new Queue(QUEUE_NAME, { connection: clients[0] });
  const stalled = o.stalledMs ?? 30_000;
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job, token?: string) => {
      if (job.name === 'experiment') return processRoot(job as Job<RootJobData>, token!, queue);
      const { dir, id } = job.data as TaskJobData;
      if (!existsSync(planFile(dir)))
        throw new Error(
          `experiment dir ${dir} is not reachable from worker ${host} (every worker must see DIR at the same path)`,
        );
      o.log(`${host}: job ${id} (attempt ${job.attemptsMade + 1})`);
      const r = await spawnJob(dir, id, o.backend, { attempt: job.attemptsMade + 1 });
      if (r.code !== 0 || !isJobDone(dir, id))
        throw new Error(
          `job ${id} ${r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code}`}; log ${r.log}`,
        );
      o.log(`${host}: job ${id} finished`);
      return { id };
    },
    {
      connection: clients[1],
      concurrency: o.concurrency,
      lockDuration: stalled,
      stalledInterval: stalled,
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, err) => {
    if (job) o.log(`${host}: job ${job.data?.id ?? job.id} failed: ${err.message.split('\n')[0]}`);
  });
  worker.on('error', (err) => o.log(`${host}: worker error: ${err.message.split('\n')[0]}`));
  o.log(`worker on ${host} waiting for jobs on ${o.queue.display} (concurrency ${o.concurrency})`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    o.signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  o.log(`worker on ${host} stopping`);
  await worker.close();
  await queue.close();
  for (const c of clients) c.disconnect();
}
