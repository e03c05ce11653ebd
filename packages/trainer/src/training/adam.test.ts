import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { adamStateFromData, adamStateToData, createAdam, disposeAdamState } from './adam';

// torch.optim.Adam(lr=0.1), float64, PyTorch 1.13.1 (Debian python3-torch): w and b after each of 5
// steps of loss = 0.5 sum |w - c|^3 + sum (b - 1)^2, where b gets no gradient (grad None) at step 2.
const TORCH = [
  {
    w: [
      0.5999999973333334, -0.9000000001666667, 1.900000000074074, 0.0999999973333334, 2.9000000000266666,
      -0.15000001066666552,
    ],
    b: [0.19999999944444444, -0.10000000041666668],
  },
  {
    w: [
      0.6965560853269678, -0.8003978897830748, 1.800233941676186, 0.19655608532696772, 2.8001256807941646,
      -0.06174217620830191,
    ],
    b: [0.29952129141333483, -0.00032083802700833],
  },
  {
    w: [
      0.7867796381916865, -0.7014877287113921, 1.7008686061900193, 0.28677963819168645, 2.7004640533348496,
      0.010032552103125272,
    ],
    b: [0.29952129141333483, -0.00032083802700833],
  },
  {
    w: [
      0.8683273557094173, -0.603580994872173, 1.602077523843402, 0.3683273557094173, 2.6011040880932894,
      0.06873793648813965,
    ],
    b: [0.39814568349666446, 0.09877717952790273],
  },
  {
    w: [
      0.9401605068015575, -0.5070017082796863, 1.5040395903666142, 0.4401605068015575, 2.5021363062873996,
      0.11436084563401508,
    ],
    b: [0.4953635280038305, 0.19699356201823293],
  },
];

function setup() {
  const w = tf.tidy(() =>
    tf.variable(
      tf.tensor2d([
        [0.5, -1.0, 2.0],
        [0.0, 3.0, -0.25],
      ]),
      true,
      'adam-test/w',
    ),
  );
  const b = tf.tidy(() => tf.variable(tf.tensor1d([0.1, -0.2]), true, 'adam-test/b'));
  const c = tf.tensor2d([
    [1.0, 1.0, -1.0],
    [0.5, -2.0, 0.0],
  ]);
  const grads = (step: number) => {
    const { value, grads } = tf.variableGrads(
      () => {
        const lw = tf.mul(tf.sum(tf.abs(tf.pow(tf.sub(w, c), 3))), 0.5);
        return (step === 2 ? lw : tf.add(lw, tf.sum(tf.square(tf.sub(b, 1))))) as tf.Scalar;
      },
      step === 2 ? [w] : [w, b],
    );
    value.dispose();
    return grads;
  };
  return { w, b, c, grads, dispose: () => tf.dispose([w, b, c]) };
}

describe('createAdam', () => {
  it('matches torch.optim.Adam step for step, skipping a variable with no gradient', () => {
    const { w, b, grads, dispose } = setup();
    const adam = createAdam({ lr: 0.1 });
    const state = adam.init();
    for (let step = 0; step < 5; step++) {
      const g = grads(step);
      adam.update([w, b], g, state);
      tf.dispose(Object.values(g));
      expect(w).toBeAllclose(TORCH[step]!.w, { rtol: 1e-5, atol: 1e-6 });
      expect(b).toBeAllclose(TORCH[step]!.b, { rtol: 1e-5, atol: 1e-6 });
    }
    expect(state.slots.get('adam-test/w')!.step).toBe(5);
    expect(state.slots.get('adam-test/b')!.step).toBe(4);
    disposeAdamState(state);
    dispose();
  });

  it('resumes exactly from serialised state and leaks no tensors', () => {
    const run = (stopAt: number | null) => {
      const { w, b, grads, dispose } = setup();
      const adam = createAdam({ lr: 0.1 });
      let state = adam.init();
      for (let step = 0; step < 5; step++) {
        if (step === stopAt) {
          const data = adamStateToData(state);
          disposeAdamState(state);
          state = adamStateFromData(data);
          for (const s of state.slots.values()) expect(s.m.dtype).toBe('float32');
        }
        const g = grads(step);
        adam.update([w, b], g, state);
        tf.dispose(Object.values(g));
      }
      const out = [...w.dataSync(), ...b.dataSync()];
      disposeAdamState(state);
      dispose();
      return out;
    };
    const before = tf.memory().numTensors;
    const straight = run(null);
    expect(run(3)).toEqual(straight);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad hyper-parameters naming them', () => {
    expect(() => createAdam({ lr: Number.NaN })).toThrow(/lr must be a finite number/);
    expect(() => createAdam({ beta2: 1 })).toThrow(/beta1 and beta2 must be < 1/);
  });
});
