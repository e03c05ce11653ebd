import { createRng } from '@stnas/st-estimator';
import { createProgress, type Progress } from '../training/progress';
import { type EpochRecord, type LoopResult, type LoopSpec, runLoop } from '../training/train-loop';
import type { StageInputs } from './stage-common';

/** Adds progress bars and epoch log lines to a loop spec, then runs it. */
export async function runWithProgress(
  i: StageInputs,
  spec: Omit<LoopSpec, 'rng' | 'onStep' | 'onEpoch' | 'onEpochStart'> & {
    rng?: LoopSpec['rng'];
    /** Text appended to each epoch's log line (the search's p and entropy). */
    epochNote?(r: EpochRecord): string;
  },
): Promise<LoopResult> {
  let bar: Progress | undefined;
  let frames = 0;
  let start = 0;
  const perEpoch = Math.min(spec.batches, spec.stepsPerEpoch ?? Infinity);
  const result = await runLoop({
    maxStepsThisRun: i.maxStepsThisRun,
    ...spec,
    rng: spec.rng ?? createRng(i.seed),
    onEpochStart(s) {
      frames = 0;
      start = s.pos;
      bar = createProgress(`${spec.stage} epoch ${s.schedule.epoch + 1}`, perEpoch - s.pos, i.progress);
    },
    onStep(s, outcome) {
      frames += outcome.frames;
      if (outcome.skipped) i.log(`${spec.stage}: step ${s.step} skipped: ${outcome.skipped}`);
      bar?.update({ done: s.pos - start, frames, loss: outcome.loss });
    },
    onEpoch(r: EpochRecord, s) {
      bar?.finish();
      bar = undefined;
      i.log(
        `${spec.stage} epoch ${r.epoch}: train loss ${r.trainLoss.toFixed(3)}, dev loss ${r.devLoss.toFixed(3)}, lr ${r.lr.toExponential(1)}` +
          `${s.schedule.bestEpoch === r.epoch ? ' (best)' : ''}${r.skipped ? `, ${r.skipped} batches skipped` : ''}, ${Math.round(r.framesPerSecond)} frames/s` +
          `${spec.epochNote?.(r) ?? ''}` +
          `${r.devInfinite !== undefined ? `; dev CTC-CRF loss over all ${r.devUtterances} (${r.devInfinite} have a reference the phone LM forbids: infinite with its LM weight, scored without it as CAT does), dev CTC loss ${r.devCtcLoss?.toFixed(3)}` : ''}` +
          `${s.schedule.stopped ? `; stopping: ${s.schedule.reason}` : ''}`,
      );
    },
  });
  return result;
}
