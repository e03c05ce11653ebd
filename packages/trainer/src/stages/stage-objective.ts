// The loss a stage trains and selects on: CTC, or CTC-CRF over a phone LM estimated from the
// training labels (CAT's recipe: egs/wsj/run.sh estimates den_lm.fst from the training text only).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildDenominatorGraph,
  ctcCrfForwardBackward,
  ctcCrfLoss,
  type DenominatorGraph,
  estimatePhoneLm,
  formatArpa,
  parseArpa,
  writeArpa,
} from '@stnas/ctc';
import { specAugment } from '@stnas/data-wsj';
import type { ApplyOptions, SearchSpaceModel } from '@stnas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batch';
import { UsageError } from '../errors';
import { pinRunConfig, type RunTrainingConfig, resolveTrainingOptions } from '../training/training-options';
import { batchLoss, evaluateLoss, type StageData, type StageInputs } from './stage-common';

/** A stage's loss on training batches and on the dev set. */
export interface StageObjective {
  loss: RunTrainingConfig['loss'];
  /** Loss of one batch, summed over utterances and divided by the batch size (CAT's convention). */
  batchLoss(model: SearchSpaceModel, batch: Batch, opts: ApplyOptions): tf.Scalar;
  /**
   * Mean per-utterance dev loss (no gradients): CTC, or with CTC-CRF the CRF loss as CAT computes it,
   * and how many dev references the phone LM forbids (the same utterances every epoch: it depends on
   * labels only).
   */
  evaluate(model: SearchSpaceModel, batches: Batches, opts: () => ApplyOptions): Promise<DevLoss>;
}

/** Batches in memory or read one by one from disk. */
export type Batches = Iterable<Batch> | AsyncIterable<Batch>;

/** Yields `batches`, calling `f` on each first. */
async function* tap(batches: Batches, f: (b: Batch) => void): AsyncGenerator<Batch> {
  for await (const b of batches) {
    f(b);
    yield b;
  }
}

/** A dev loss, and how many dev utterances have an infinite CTC-CRF loss. */
export interface DevLoss {
  /** What early stopping and the best checkpoint use (mean per utterance). */
  loss: number;
  /** Dev references the phone LM forbids: their full CRF loss (with the LM weight) is infinite. */
  infinite: number;
  utterances: number;
  /** With CTC-CRF, the mean dev CTC loss of the same logits. */
  ctc?: number;
}

/** The phone LM file a CTC-CRF stage writes into its directory. */
export const PHONE_LM_FILE = 'phone_lm.arpa';

/**
 * The CTC-CRF denominator of a stage: on the first run estimates the phone LM from `trainLabels` and writes `<dir>/phone_lm.arpa` atomically; when resuming (`resume`, and the file exists)
 * reads it back. Both paths build the graph from the ARPA text, so a resumed run trains on exactly
 * the graph an uninterrupted one does.
 */
export async function stageDenominator(
  dir: string,
  trainLabels: Iterable<Int32Array>,
  o: { order: number; numClasses: number; resume: boolean },
): Promise<DenominatorGraph> {
  const file = path.join(dir, PHONE_LM_FILE);
  let text: string;
  if (o.resume && existsSync(file)) text = readFileSync(file, 'utf8');
  else {
    const lm = estimatePhoneLm([...trainLabels], { order: o.order, source: 'training labels' });
    await writeArpa(lm, file);
    text = formatArpa(lm);
  }
  return buildDenominatorGraph(parseArpa(text, file), { numClasses: o.numClasses, blank: 0 });
}

/** Mean per-utterance dev CTC loss over batches (no gradients). */
async function devCtc(model: SearchSpaceModel, batches: Batches, opts: () => ApplyOptions): Promise<DevLoss> {
  let n = 0;
  const loss = await evaluateLoss(
    model,
    tap(batches, (b) => {
      n += b.shape[0];
    }),
    opts,
  );
  return { loss, infinite: 0, utterances: n };
}

/**
 * The objective of a stage; `denominator` is required for CTC-CRF. With CTC-CRF the dev loss (early
 * stopping, best checkpoint) is the CRF loss as CAT's CTC_CRF_LOSS returns it, `den - (1 + lambda)
 * log p_ctc`: it leaves out the LM weight of the reference, a constant of the data that does not
 * change the gradient or the ranking of models (CAT only subtracts it for logging). It is finite for
 * every utterance with enough frames, so the dev references the un-smoothed phone LM forbids (70 of
 * the bundled corpus's 90 at order 4), whose full CRF loss is infinite, are scored like the others
 * and counted in `infinite` rather than dropped.
 */
export function createObjective(config: RunTrainingConfig, denominator?: DenominatorGraph): StageObjective {
  if (config.loss === 'ctc') return { loss: 'ctc', batchLoss, evaluate: devCtc };
  if (!denominator) throw new Error('createObjective: ctc-crf needs the denominator graph');
  const graph = denominator;
  const lambda = config.crfLambda ?? 0.01;
  return {
    loss: 'ctc-crf',
    // No zeroInfinity in training: an impossible training utterance makes the step non-finite, which
    // safeUpdate skips and the log names, rather than silently training on the rest.
    batchLoss: (model, batch, opts) =>
      tf.tidy(() => {
        const x = tf.tensor3d(batch.x, batch.shape);
        const { logits, lengths } = model.apply(x, batch.lengths, opts);
        return ctcCrfLoss(logits, batch.labels, lengths, {
          denominator: graph,
          lambda,
          reduction: 'batchMean',
        }) as tf.Scalar;
      }),
    async evaluate(model, batches, opts) {
      let infinite = 0;
      let n = 0;
      let crf = 0;
      let ctc = 0;
      for await (const b of batches) {
        const { data, shape, lengths } = tf.tidy(() => {
          const x = tf.tensor3d(b.x, b.shape);
          const out = model.apply(x, b.lengths, opts());
          return {
            data: out.logits.dataSync() as Float32Array,
            shape: out.logits.shape,
            lengths: out.lengths,
          };
        });
        const [B, T, C] = shape as [number, number, number];
        const parts = ctcCrfForwardBackward(data, [B, T, C], b.labels, lengths, graph, lambda, false);
        for (let u = 0; u < B; u++) {
          if (parts.lm[u] === Number.NEGATIVE_INFINITY) infinite++;
          // too few frames for the reference: no CTC path, so no loss (as zeroInfinity in training)
          if (parts.ctc[u] === Number.POSITIVE_INFINITY) continue;
          crf += (1 + lambda) * parts.ctc[u]! + parts.den[u]!;
          ctc += parts.ctc[u]!;
        }
        n += B;
      }
      return { loss: crf / Math.max(1, n), infinite, utterances: n, ctc: ctc / Math.max(1, n) };
    },
  };
}

/** The labels of the training set's utterances, in C order (the phone LM's training text). */
function trainLabels(d: StageData): Int32Array[] {
  return d.train.dataset.utts.map((u) => d.train.labels.get(u)!);
}

/**
 * Resolves a stage's loss and augmentation options, pins them in `<dir>/run-config.json`, builds the
 * objective (the CTC-CRF denominator from the training labels) and a dev evaluation whose result
 * the training loop records per epoch (with CTC-CRF, how many dev references the phone LM forbids).
 * `_stage` names the stage; the per-epoch log line (stage-runner.ts) carries the dev details now.
 */
export async function setupStage(
  i: StageInputs,
  _stage: string,
  dir: string,
  d: StageData,
): Promise<{
  config: RunTrainingConfig;
  objective: StageObjective;
  evaluate: (model: SearchSpaceModel, batches: Batches, opts: () => ApplyOptions) => Promise<DevLoss>;
}> {
  const config = resolveTrainingOptions(i, d.pipeline);
  if (config.specAugment) {
    // surface a width or group count that does not fit the features now, not at the first step
    try {
      specAugment(
        {
          features: new Float32Array(d.train.dim),
          lengths: [1],
          batchSize: 1,
          maxFrames: 1,
          dim: d.train.dim,
        },
        { ...config.specAugment, seed: 0 },
      );
    } catch (err) {
      throw new UsageError(
        `--spec-augment-config does not fit ${d.train.dim}-dim features: ${(err as Error).message}`,
      );
    }
  }
  const resume = existsSync(path.join(dir, 'checkpoint.ckpt'));
  pinRunConfig(dir, config);
  const denominator =
    config.loss === 'ctc-crf'
      ? await stageDenominator(dir, trainLabels(d), {
          order: config.crfOrder!,
          numClasses: d.units.names.length,
          resume,
        })
      : undefined;
  const objective = createObjective(config, denominator);
  return {
    config,
    objective,
    evaluate: (model, batches, opts) => objective.evaluate(model, batches, opts),
  };
}
