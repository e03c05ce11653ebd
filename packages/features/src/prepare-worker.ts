// Worker-thread entry of prepareDataDir: processes the shards it is sent, one at a time.
import { parentPort } from 'node:worker_threads';
import { processShard, type ShardJob } from './prepare-shard';

const port = parentPort;
if (port) {
  port.on('message', (job: ShardJob) => {
    processShard(job, (frames) => port.postMessage({ type: 'utterance', frames })).then(
      (result) => port.postMessage({ type: 'done', result }),
      (e: Error) => port.postMessage({ type: 'error', message: e.message }),
    );
  });
}
