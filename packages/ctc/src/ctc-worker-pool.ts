// A lazily created, persistent pool of worker threads that splits the CTC forward-backward of a
// batch by utterance. The op stays synchronous: the main thread posts the shared job, computes
// utterances itself, then blocks in Atomics.wait until the workers' claimed utterances are done.
// Any worker failure (it cannot start, throws, exits or stalls past the timeout) makes the main
// thread compute what is left and retires the pool, so results are always the same bits.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type CrfBatchResult, crfForwardBackward, crfWork } from './ctc-crf-utterance';
import {
  type CtcBatch,
  type CtcKernelOptions,
  type CtcResult,
  ctcForwardBackward,
} from './ctc-forward-backward';
import {
  CLAIMED,
  computeUtterance,
  drainJob,
  jobBatch,
  jobWorkspace,
  makeSharedJob,
  SharedArena,
} from './ctc-shared-job';
import type { DenominatorGraph } from './denominator-graph';
import { type DenominatorLayout, denominatorLayout } from './denominator-layout';

/**
 * Below this much work (see {@link ctcWork}) a batch stays on one thread. Measured on 2 cores
 * (main thread + 1 worker, idle machine; kernel about 13 ns per unit): 12k units ran 0.78x
 * (posting and waking cost ~0.1 ms), 45k 1.08x, 90k 1.13x, 245k 1.23x, 1.85M 1.68x; on a machine
 * saturated by other processes 245k ran 0.91x and 1.85M 1.00x, so the threshold sits where the
 * pool pays clearly when cores are free and costs little when they are not.
 */
export const CTC_PARALLEL_MIN_WORK = 200_000;

/** Options of a {@link CtcWorkerPool}. */
export interface CtcWorkerPoolOptions {
  /** Worker threads to start (default: available cores minus one). */
  readonly workers?: number;
  /** Script the workers run (default: the package's own `ctc-worker` next to this module). */
  readonly workerUrl?: URL;
  /** Smallest batch work to split (default {@link CTC_PARALLEL_MIN_WORK}; see {@link ctcWork}). */
  readonly minWork?: number;
  /** How long the main thread waits for a claimed utterance before computing it itself (ms). */
  readonly timeoutMs?: number;
  /** How long the first large batch waits for the workers to load (ms, default 60 000). */
  readonly startTimeoutMs?: number;
}

function defaultWorkerUrl(): URL {
  // From source (vitest, tsx) this module is a .ts file and so is the worker; in dist both are .js.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./ctc-worker${ext}`, import.meta.url);
}

/**
 * Starts a worker on `url` through a small bootstrap that sets `ready[0]` to 1 once the module has
 * loaded, or to -1 if it cannot load, so the pool can block until then (see `ensureWorkers`).
 */
function spawnWorker(url: URL, ready: Int32Array): Worker {
  // A TypeScript worker (tests and benchmarks from source) is loaded through tsx's API.
  const load = url.pathname.endsWith('.ts')
    ? `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}))`
    : `import(${JSON.stringify(url.href)})`;
  const code = `const { workerData: { ready } } = require('node:worker_threads');
const signal = (v) => { Atomics.store(ready, 0, v); Atomics.notify(ready, 0); };
${load}.then(() => signal(1), (e) => { signal(-1); throw e; });`;
  return new Worker(code, { eval: true, workerData: { ready } });
}

/** A persistent pool of worker threads computing the CTC forward-backward of large batches. */
export class CtcWorkerPool {
  private readonly size: number;
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly minWork: number;
  private workers: Worker[] | undefined;
  private failure: Error | undefined;
  private arena = new SharedArena();
  /** How many utterances of the last {@link CtcWorkerPool.run} the workers computed. */
  lastWorkerUtterances = 0;

  constructor(options: CtcWorkerPoolOptions = {}) {
    this.size = Math.max(0, Math.floor(options.workers ?? availableParallelism() - 1));
    this.url = options.workerUrl ?? defaultWorkerUrl();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.minWork = options.minWork ?? CTC_PARALLEL_MIN_WORK;
  }

  /** Why the pool stopped using workers, if it did (results are then single-threaded). */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Whether the pool has started its workers (it does on the first large batch). */
  get started(): boolean {
    return this.workers !== undefined;
  }

  /** Number of worker threads the pool uses (0 once it has failed). */
  get threads(): number {
    return this.failure ? 0 : this.size;
  }

  private fail(error: Error): void {
    if (!this.failure) this.failure = error;
    this.arena = new SharedArena(); // a stalled worker may still write into the old buffers
    const workers = this.workers ?? [];
    this.workers = [];
    for (const w of workers) void w.terminate();
  }

  private ensureWorkers(): Worker[] | undefined {
    if (this.failure || this.size === 0) return undefined;
    if (this.workers) return this.workers;
    const workers: Worker[] = [];
    // One flag per worker, set by the worker once its module has loaded.
    const ready = new Int32Array(new SharedArrayBuffer(4 * this.size));
    try {
      for (let i = 0; i < this.size; i++) {
        const w = spawnWorker(this.url, ready.subarray(i, i + 1));
        w.unref(); // an idle pool never keeps the process alive
        w.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
        w.on('exit', (code) => this.fail(new Error(`CTC worker exited with code ${code}`)));
        workers.push(w);
      }
    } catch (e) {
      for (const w of workers) void w.terminate();
      this.fail(e instanceof Error ? e : new Error(String(e)));
      return undefined;
    }
    // Block until every worker has loaded, so that nothing of their start-up (from source, tsx
    // starts an esbuild child process, a fork) overlaps what this thread does next. A fork from
    // another thread during a threaded OpenBLAS call stops OpenBLAS's thread server under that call
    // (its fork handler), and the call then waits forever (seen as an endless sched_yield).
    const deadline = performance.now() + this.startTimeoutMs;
    for (let i = 0; i < this.size; i++) {
      while (Atomics.load(ready, i) === 0) {
        const left = deadline - performance.now();
        if (left <= 0 || Atomics.wait(ready, i, 0, left) === 'timed-out') break;
      }
      const state = Atomics.load(ready, i);
      if (state !== 1) {
        for (const w of workers) void w.terminate();
        this.fail(
          new Error(
            state === 0
              ? `CTC worker ${i} did not start within ${this.startTimeoutMs} ms`
              : `CTC worker ${i} could not load ${this.url.href}`,
          ),
        );
        return undefined;
      }
    }
    this.workers = workers;
    return workers;
  }

  /**
   * Same result as {@link ctcForwardBackward}, bit for bit, computed by the main thread and the
   * workers together; small batches (below `minWork`) stay single-threaded.
   */
  run(batch: CtcBatch, options: CtcKernelOptions = {}): CtcResult {
    this.lastWorkerUtterances = 0;
    if (batch.batch < 2 || ctcWork(batch) < this.minWork) return ctcForwardBackward(batch, options);
    const job = this.execute(batch, options);
    if (!job) return ctcForwardBackward(batch, options);
    return job.grad
      ? { losses: job.losses, grad: job.grad, logSpaceFallbacks: job.logSpaceFallbacks }
      : { losses: job.losses, logSpaceFallbacks: job.logSpaceFallbacks };
  }

  /**
   * The CTC-CRF kernel (CTC numerator and denominator of each utterance, gradients combined) over
   * a batch of logits, split like {@link CtcWorkerPool.run}; the same bits as the serial loop.
   */
  runCrf(
    batch: CtcBatch,
    graph: DenominatorGraph,
    lambda: number,
    options: CtcKernelOptions = {},
  ): CrfBatchResult {
    this.lastWorkerUtterances = 0;
    const layout = denominatorLayout(graph);
    if (batch.batch < 2 || crfWork(batch, layout) < this.minWork) {
      return crfForwardBackward(batch, layout, lambda, options);
    }
    const job = this.execute(batch, options, { layout, lambda });
    if (!job) return crfForwardBackward(batch, layout, lambda, options);
    return job.grad
      ? { losses: job.losses, den: job.den!, grad: job.grad, logSpaceFallbacks: job.logSpaceFallbacks }
      : { losses: job.losses, den: job.den!, logSpaceFallbacks: job.logSpaceFallbacks };
  }

  /** Posts a shared job, computes on this thread, waits; undefined when there are no workers. */
  private execute(
    batch: CtcBatch,
    options: CtcKernelOptions,
    crf?: { layout: DenominatorLayout; lambda: number },
  ):
    | { losses: Float64Array; den?: Float64Array; grad?: Float32Array; logSpaceFallbacks: number }
    | undefined {
    const workers = this.ensureWorkers();
    if (!workers || workers.length === 0) return undefined;
    const job = makeSharedJob(batch, options.grad ?? true, options.method === 'log', this.arena, crf);
    try {
      for (const w of workers) w.postMessage({ job });
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
    const view = jobBatch(job);
    const ws = jobWorkspace(job, view);
    let mine = drainJob(job, view, ws, false);
    // Wait for the utterances the workers claimed; past the deadline, compute them here.
    const deadline = performance.now() + this.timeoutMs;
    for (let b = 0; b < job.batch; b++) {
      while (Atomics.load(job.status, b) === CLAIMED) {
        const left = deadline - performance.now();
        if (left <= 0 || Atomics.wait(job.status, b, CLAIMED, left) === 'timed-out') {
          this.fail(new Error(`CTC worker did not finish utterance ${b} within ${this.timeoutMs} ms`));
          computeUtterance(job, view, ws, b);
          mine++;
        }
      }
    }
    this.lastWorkerUtterances = job.batch - mine;
    let fallbacks = 0;
    for (let b = 0; b < job.batch; b++) fallbacks += job.fellBack[b]!;
    // The outputs leave in private copies: the shared buffers are reused by the next job.
    return {
      losses: Float64Array.from(job.losses),
      ...(job.crf ? { den: Float64Array.from(job.crf.den) } : {}),
      ...(job.grad ? { grad: job.grad.slice() } : {}),
      logSpaceFallbacks: fallbacks,
    };
  }

  /** Stops the workers; later runs are single-threaded. */
  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.failure ??= new Error('CTC worker pool closed');
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Work of a batch in kernel inner-loop units: frames x (extended states + classes), summed. */
export function ctcWork(batch: CtcBatch): number {
  let work = 0;
  for (let b = 0; b < batch.batch; b++) {
    work += batch.inputLengths[b]! * (2 * batch.targets[b]!.length + 1 + batch.classes);
  }
  return work;
}

let sharedPool: CtcWorkerPool | undefined;

/** The process-wide pool behind {@link ctcLoss}; its workers start on the first large batch. */
export function sharedCtcPool(): CtcWorkerPool {
  sharedPool ??= new CtcWorkerPool();
  return sharedPool;
}

/** The CTC-CRF kernel on the process-wide worker pool (small batches stay on this thread). */
export function crfForwardBackwardParallel(
  batch: CtcBatch,
  graph: DenominatorGraph,
  lambda: number,
  options: CtcKernelOptions = {},
): CrfBatchResult {
  const layout = denominatorLayout(graph);
  if (batch.batch < 2 || crfWork(batch, layout) < CTC_PARALLEL_MIN_WORK) {
    return crfForwardBackward(batch, layout, lambda, options);
  }
  return sharedCtcPool().runCrf(batch, graph, lambda, options);
}

/** {@link ctcForwardBackward} on the process-wide worker pool (small batches stay on this thread). */
export function ctcForwardBackwardParallel(batch: CtcBatch, options: CtcKernelOptions = {}): CtcResult {
  if (batch.batch < 2 || ctcWork(batch) < CTC_PARALLEL_MIN_WORK) return ctcForwardBackward(batch, options);
  return sharedCtcPool().run(batch, options);
}
