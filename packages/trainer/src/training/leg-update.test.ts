import { buildSupernet } from '@stnas/search-space';
import { createRng } from '@stnas/st-estimator';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/select-backend';
import type { Batch } from '../data/batch';
import { createObjective, type StageObjective } from '../stages/stage-objective';
import { tinySupernet } from '../test-support';
import { createAdam } from './adam';
import { legUpdate } from './leg-update';
import type { RunTrainingConfig } from './training-options';

beforeAll(async () => {
  await selectBackend('cpu');
});

const CTC: RunTrainingConfig = {
  loss: 'ctc',
  crfLambda: null,
  crfOrder: null,
  specAugment: null,
  speedPerturb: null,
};

/** Two utterances of 30 and 24 frames of 120-dim noise, with short label sequences. */
function batch(): Batch {
  const rng = createRng(4);
  const x = Float32Array.from({ length: 2 * 30 * 120 }, () => rng.next() * 2 - 1);
  return {
    keys: ['a', 'b'],
    x,
    shape: [2, 30, 120],
    lengths: [30, 24],
    labels: [Int32Array.from([3, 7, 7, 2]), Int32Array.from([5, 1])],
    frames: 54,
  };
}

describe('legUpdate', () => {
  it('moves each logit by -lr * sign(dE/da) on the first Adam step, from losses of one-node swaps of a path drawn from p', () => {
    const model = buildSupernet(tinySupernet(['tdnn-C1D1Nln', 'tdnn-C2D1Nln', 'tdnn-C2D2Nln']), { seed: 3 });
    const objective = createObjective(CTC);
    const b = batch();
    const arch = model.archVariables();
    // Logits away from uniform, so p differs per node.
    arch[0]!.assign(tf.tensor1d([0.3, -0.2, 0.1]));
    arch[1]!.assign(tf.tensor1d([-0.4, 0.5, 0]));
    const before = arch.map((v) => Array.from(v.dataSync()));
    const weightsBefore = model.weightVariables().map((v) => Array.from(v.dataSync()));
    const probs = model.archProbs();

    // Independently: the same draw (each node from its p, in node order), then every one-node swap.
    const draw = createRng(11);
    const path = probs.map((p) => {
      const u = draw.next();
      let c = 0;
      let k = 0;
      for (; k < p.length - 1; k++) {
        c += p[k]!;
        if (u < c) break;
      }
      return k;
    });
    const lossOf = (choices: number[]) =>
      objective.batchLoss(model, b, { mode: 'eval', choices, training: false }).dataSync()[0]!;
    const grads = probs.map((p, n) => {
      const l = p.map((_, i) => lossOf(path.map((c, m) => (m === n ? i : c))));
      const mean = p.reduce((s, q, i) => s + q * l[i]!, 0);
      return p.map((q, j) => q * (l[j]! - mean));
    });

    const adam = createAdam({ lr: 0.05 });
    const state = adam.init();
    const r = legUpdate(model, b, objective, createRng(11), adam, state, 0.05);
    expect(r.skipped).toBeUndefined();
    expect(r.loss).toBeCloseTo(lossOf(path), 5);
    // Adam's first step (bias-corrected) is lr * g / (|g| + eps): -lr * sign(g) here.
    arch.forEach((v, n) => {
      const after = Array.from(v.dataSync());
      after.forEach((a, j) => {
        expect(a - before[n]![j]!).toBeCloseTo(-0.05 * Math.sign(grads[n]![j]!), 5);
      });
    });
    // Only the logits move, and a step leaves no tensor behind.
    model.weightVariables().forEach((v, k) => {
      expect(Array.from(v.dataSync())).toEqual(weightsBefore[k]);
    });
    const again = tf.memory().numTensors;
    legUpdate(model, b, objective, createRng(12), adam, state, 0.05);
    expect(tf.memory().numTensors).toBe(again);
    model.dispose();
  });

  it('skips the step, changing nothing, when a path loss is not finite', () => {
    const model = buildSupernet(tinySupernet(['tdnn-C1D1Nln', 'tdnn-C2D1Nln']), { seed: 3 });
    // A stand-in objective: the loss is NaN on every path that takes candidate 1 at node 0.
    const objective: StageObjective = {
      ...createObjective(CTC),
      batchLoss: (_m, _b, opts) => tf.scalar(opts.choices?.[0] === 1 ? Number.NaN : 1),
    };
    const arch = model.archVariables();
    const before = arch.map((v) => Array.from(v.dataSync()));
    const adam = createAdam({ lr: 0.05 });
    const state = adam.init();
    const r = legUpdate(model, batch(), objective, createRng(1), adam, state, 0.05);
    expect(r.skipped).toBe("a path's loss is NaN");
    arch.forEach((v, n) => {
      expect(Array.from(v.dataSync())).toEqual(before[n]);
    });
    expect(state.slots.size).toBe(0);
    model.dispose();
  });
});
