// The shared-memory layout of one batch of CTC work split between threads, and the loop every
// thread runs over it. Utterances are claimed one at a time with a compare-and-swap on `status`
// (0 free, 1 claimed, 2 done), so a thread that starts late or stops early only changes who
// computes an utterance, never what is computed.
import { type CrfWorkspace, crfUtterance, crfWorkspace } from './ctc-crf-utterance';
import { type CtcBatch, CtcWorkspace, ctcUtterance, maxExtendedStates } from './ctc-forward-backward';
import type { DenominatorLayout } from './denominator-layout';

/** Status of an utterance nobody has claimed yet. */
export const FREE = 0;
/** Status of an utterance a thread is computing. */
export const CLAIMED = 1;
/** Status of an utterance whose loss and gradient rows are written. */
export const DONE = 2;

/** A batch and its outputs in SharedArrayBuffer-backed arrays, posted as is to the workers. */
export interface SharedCtcJob {
  readonly data: Float32Array | Float64Array;
  readonly batch: number;
  readonly time: number;
  readonly classes: number;
  readonly blank: number;
  readonly scores: CtcBatch['scores'];
  /** All targets concatenated; utterance b's labels are `labels[offsets[b]..offsets[b + 1])`. */
  readonly labels: Int32Array;
  readonly offsets: Int32Array;
  readonly inputLengths: Int32Array;
  readonly logOnly: boolean;
  readonly losses: Float64Array;
  /** Gradient `[batch, time, classes]`, or undefined for a loss-only job. */
  readonly grad: Float32Array | undefined;
  /** 1 where the utterance needed the log-space recursion. */
  readonly fellBack: Uint8Array;
  /** Per-utterance {@link FREE} / {@link CLAIMED} / {@link DONE}. */
  readonly status: Int32Array;
  /** Set for a CTC-CRF job: `losses` are the CTC losses and `grad` the combined CTC-CRF gradient. */
  readonly crf?: SharedCrfPart;
}

/** The CTC-CRF part of a {@link SharedCtcJob}. */
export interface SharedCrfPart {
  readonly layout: DenominatorLayout;
  readonly lambda: number;
  /** Denominator log-score per utterance. */
  readonly den: Float64Array;
}

type SharedArrayKind =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor;

/**
 * SharedArrayBuffers kept between jobs: allocating fresh shared memory for every batch costs
 * page faults (about 10 ms for a 32 x 300 x 72 batch), reusing it a memcpy. Only the main thread
 * writes the inputs, and only between jobs, when no worker is computing.
 */
export class SharedArena {
  private readonly slots = new Map<string, SharedArrayBuffer>();

  /** A zeroed-or-stale view of `n` elements in the slot `name`, grown when too small. */
  view<K extends SharedArrayKind>(name: string, ctor: K, n: number): InstanceType<K> {
    const bytes = Math.max(8, n * ctor.BYTES_PER_ELEMENT);
    let buffer = this.slots.get(name);
    if (!buffer || buffer.byteLength < bytes) {
      buffer = new SharedArrayBuffer(Math.max(bytes, 2 * (buffer?.byteLength ?? 0)));
      this.slots.set(name, buffer);
    }
    // TypeScript's constructor signatures only name ArrayBuffer; shared buffers are accepted too.
    return new ctor(buffer as unknown as ArrayBuffer, 0, n) as InstanceType<K>;
  }
}

/**
 * Copies a validated batch into shared memory with zeroed outputs, in `arena`'s reused buffers
 * when given (the status array is always fresh, so a late worker never touches a later job).
 */
export function makeSharedJob(
  batch: CtcBatch,
  wantGrad: boolean,
  logOnly: boolean,
  arena: SharedArena = new SharedArena(),
  crf?: { layout: DenominatorLayout; lambda: number },
): SharedCtcJob {
  const { batch: B, time: T, classes: C } = batch;
  const n = B * T * C;
  const data =
    batch.data instanceof Float32Array
      ? arena.view('data32', Float32Array, n)
      : arena.view('data64', Float64Array, n);
  data.set(batch.data);
  const offsets = arena.view('offsets', Int32Array, B + 1);
  offsets[0] = 0;
  for (let b = 0; b < B; b++) offsets[b + 1] = offsets[b]! + batch.targets[b]!.length;
  const labels = arena.view('labels', Int32Array, offsets[B]!);
  for (let b = 0; b < B; b++) labels.set(batch.targets[b]!, offsets[b]!);
  const inputLengths = arena.view('inputLengths', Int32Array, B);
  for (let b = 0; b < B; b++) inputLengths[b] = batch.inputLengths[b]!;
  const grad = wantGrad ? arena.view('grad', Float32Array, n).fill(0) : undefined;
  return {
    data,
    batch: B,
    time: T,
    classes: C,
    blank: batch.blank,
    scores: batch.scores,
    labels,
    offsets,
    inputLengths,
    logOnly,
    losses: arena.view('losses', Float64Array, B).fill(0),
    grad,
    fellBack: arena.view('fellBack', Uint8Array, B).fill(0),
    status: new Int32Array(new SharedArrayBuffer(Math.max(8, B * 4)), 0, B),
    ...(crf ? { crf: { ...crf, den: arena.view('den', Float64Array, B).fill(0) } } : {}),
  };
}

/** The {@link CtcBatch} view of a shared job (targets are subarrays of the shared labels). */
export function jobBatch(job: SharedCtcJob): CtcBatch {
  const targets: Int32Array[] = [];
  for (let b = 0; b < job.batch; b++) targets.push(job.labels.subarray(job.offsets[b]!, job.offsets[b + 1]!));
  return {
    data: job.data,
    batch: job.batch,
    time: job.time,
    classes: job.classes,
    targets,
    inputLengths: job.inputLengths,
    blank: job.blank,
    scores: job.scores,
  };
}

/** Per-thread scratch space of a job: CTC, or CTC-CRF. */
export type JobWorkspace = CtcWorkspace | CrfWorkspace;

/** Scratch space sized for a job's longest utterance. */
export function jobWorkspace(job: SharedCtcJob, batch: CtcBatch): JobWorkspace {
  if (job.crf) return crfWorkspace(batch, job.crf.layout);
  return new CtcWorkspace(batch.time, batch.classes, maxExtendedStates(batch.targets));
}

/** Computes utterance `b` into the job's outputs and marks it done (waking a waiting thread). */
export function computeUtterance(job: SharedCtcJob, batch: CtcBatch, ws: JobWorkspace, b: number): void {
  if (job.crf) {
    const w = ws as CrfWorkspace;
    const { lambda, den } = job.crf;
    job.losses[b] = crfUtterance(batch, b, w, lambda, job.grad, den, job.logOnly);
  } else {
    job.losses[b] = ctcUtterance(batch, b, ws as CtcWorkspace, job.grad, job.logOnly);
  }
  job.fellBack[b] = ws.fellBack ? 1 : 0;
  Atomics.store(job.status, b, DONE); // sequentially consistent: the writes above are visible first
  Atomics.notify(job.status, b);
}

/**
 * Claims and computes free utterances until none is left, scanning forwards (the main thread) or
 * backwards (workers) so the threads meet in the middle. Returns how many it computed.
 */
export function drainJob(job: SharedCtcJob, batch: CtcBatch, ws: JobWorkspace, backwards: boolean): number {
  let count = 0;
  for (let i = 0; i < job.batch; i++) {
    const b = backwards ? job.batch - 1 - i : i;
    if (Atomics.compareExchange(job.status, b, FREE, CLAIMED) !== FREE) continue;
    computeUtterance(job, batch, ws, b);
    count++;
  }
  return count;
}
