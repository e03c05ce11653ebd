import { createHash } from 'node:crypto';
import { FlowProducer, Job, Queue } from 'bullmq';
import { isJobDone, jobLog, STAGES } from './job-store';
import { ExperimentFailedError, type ExperimentProgress, type FailedJob } from './local-pool';
import type { ExperimentPlan } from './plan';
import { QUEUE_NAME, type RootJobData, stageChildren, type TaskJobData } from './queue-worker';
import { probeQueue, type QueueTarget, redisClient } from './redis-url';

/**
 * Runs an experiment on BullMQ workers: enqueues a flow (a root job with the warmups as its
 * children; the root enqueues each later stage when the previous one is done), waits while
 * reporting jobs done, running and failed, and returns when the root completed. A job that failed
 * all its attempts fails the root (failParentOnFailure): an ExperimentFailedError names it with its
 * log. Needs `stnas worker` processes that see `dir` at the same path.
 */
export async function runOnQueue(
  plan: ExperimentPlan,
  dir: string,
  o: { queue: QueueTarget; onProgress?: (p: ExperimentProgress) => void; pollMs?: number },
): Promise<void> {
  await probeQueue(o.queue);
  // BullMQ leaves clients it was given open on close(): they are disconnected below.
  const clients = [redisClient(o.queue), redisClient(o.queue)] as const;
  const queue = new Queue(QUEUE_NAME, { connection: clients[0] });
  const flow = new FlowProducer({ connection: clients[1] });
  try {
    const root = `exp-${createHash('sha256').update(dir).digest('hex').slice(0, 8)}-${Date.now().toString(36)}`;
    await flow.add({
      name: 'experiment',
      queueName: QUEUE_NAME,
      data: { dir, step: 1 } satisfies RootJobData,
      opts: { jobId: root, attempts: plan.attempts },
      children: stageChildren(dir, root, 0, plan.attempts),
    });
    let last = '';
    for (;;) {
      const job = await Job.fromId<RootJobData>(queue, root);
      const state = job ? await job.getState() : 'unknown';
      const mine = (js: Job[]) => js.filter((j) => (j.data as TaskJobData | undefined)?.root === root);
      const failedJobs = mine(await queue.getFailed());
      if (o.onProgress) {
        const step = Math.max(0, Math.min(STAGES.length, (job?.data.step ?? 1) - 1));
        const ids = (
          await queue.getJobs(['completed', 'active', 'waiting', 'delayed', 'prioritized', 'failed'])
        )
          .filter((j) => (j.data as TaskJobData | undefined)?.root === root)
          .map((j) => (j.data as TaskJobData).id);
        const p: ExperimentProgress = {
          stage: STAGES[step] ?? 'collect',
          done: ids.filter((id) => isJobDone(dir, id)).length,
          running: mine(await queue.getActive()).length,
          failed: failedJobs.length,
          total: new Set(ids).size,
        };
        const key = JSON.stringify(p);
        if (key !== last) o.onProgress(p);
        last = key;
      }
      if (state === 'completed') return;
      if (state === 'failed' || state === 'unknown') {
        const failed: FailedJob[] = failedJobs.map((j) => {
          const d = j.data as TaskJobData;
          return {
            id: d.id,
            attempts: j.attemptsMade,
            reason: (j.failedReason ?? 'failed').split(';')[0]!,
            log: jobLog(dir, d.id),
          };
        });
        if (failed.length > 0) throw new ExperimentFailedError(failed);
        throw new Error(
          `the experiment's root job ${root} ${state}: ${job?.failedReason ?? 'removed from the queue'}`,
        );
      }
      await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
    }
  } finally {
    await flow.close();
    await queue.close();
    for (const c of clients) c.disconnect();
  }
}
