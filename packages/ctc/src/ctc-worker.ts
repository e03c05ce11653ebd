// Worker-thread entry of the CTC pool: computes the utterances it can claim of each posted job.
import { parentPort } from 'node:worker_threads';
import { drainJob, jobBatch, jobWorkspace, type SharedCtcJob } from './ctc-shared-job';

/** Message the pool posts to a worker: one shared job. */
export interface CtcWorkerMessage {
  readonly job: SharedCtcJob;
}

parentPort?.on('message', (message: CtcWorkerMessage) => {
  const batch = jobBatch(message.job);
  drainJob(message.job, batch, jobWorkspace(message.job, batch), true);
});
