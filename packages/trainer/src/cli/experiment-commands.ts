import os from 'node:os';
import type { BackendRequest } from '../backend/select-backend';
import { selectBackend } from '../backend/select-backend';
import { EXIT } from '../errors';
import type { CliIo } from './io';
import { existing, int, type OptionValues, str } from './options';

/** Runs `stnas experiment`, `stnas worker` or the internal `stnas experiment-job`; returns the exit code. */
export async function runExperimentCommand(
  command: 'experiment' | 'worker' | 'experiment-job',
  v: OptionValues,
  backend: BackendRequest,
  io: CliIo,
): Promise<number> {
  switch (command) {
    case 'experiment': {
      const plan = existing(str(v, 'plan'), 'plan', 'file');
      const out = str(v, 'out');
      const jobs = v['jobs'] === undefined ? undefined : int(v, 'jobs', 1, 1, 1024);
      const queue = v['queue'] === undefined ? undefined : str(v, 'queue');
      const { runExperiment } = await import('../experiment/run-experiment');
      const r = await runExperiment({
        plan,
        out,
        jobs,
        queue,
        backend,
        onProgress: (p) =>
          io.err(`${p.stage}: ${p.done}/${p.total} done, ${p.running} running, ${p.failed} failed`),
      });
      if (v['json'] === true)
        io.out(JSON.stringify({ results: r.resultsFile, report: r.report, ...r.results }));
      else io.out(`${r.table}\nresults: ${r.resultsFile}\nreport: ${r.report}`);
      return EXIT.ok;
    }
    case 'worker': {
      const { parseQueueUrl } = await import('../experiment/redis-url');
      const target = parseQueueUrl(str(v, 'queue'));
      const concurrency = int(v, 'concurrency', 1, 1, 1024);
      const stalledMs = int(v, 'stalled-ms', 30_000, 1000, 3_600_000);
      const { runQueueWorker } = await import('../experiment/queue-worker');
      await runQueueWorker({ queue: target, concurrency, backend, stalledMs, log: (l) => io.err(l) });
      return EXIT.ok;
    }
    case 'experiment-job': {
      const out = existing(str(v, 'out'), 'out');
      const id = str(v, 'id');
      await selectBackend(backend);
      const { runExperimentJob } = await import('../experiment/run-job');
      io.err(`job ${id} on ${os.hostname()} pid ${process.pid}`);
      await runExperimentJob(out, id, (l) => io.err(l));
      return EXIT.ok;
    }
  }
}
