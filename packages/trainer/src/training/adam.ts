import * as tf from '@tensorflow/tfjs-core';

/** Adam hyper-parameters (PyTorch's defaults except `lr`). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** First-moment decay (default 0.9). */
  beta1?: number;
  /** Second-moment decay (default 0.999). */
  beta2?: number;
  /** Denominator epsilon (default 1e-8). */
  eps?: number;
}

/** One variable's Adam state: its own step count and both moments (tensors while training). */
export interface AdamSlot {
  step: number;
  m: tf.Tensor;
  v: tf.Tensor;
}

/** Adam state, keyed by variable name; variables that never got a gradient have no slot. */
export interface AdamState {
  slots: Map<string, AdamSlot>;
}

/** Adam state as plain data (for checkpoints): per variable, its step count and moments. */
export interface AdamStateData {
  [name: string]: { step: number; shape: number[]; m: Float32Array; v: Float32Array };
}

/** An Adam optimiser whose state is explicit, so a checkpoint can restore it exactly. */
export interface Adam {
  readonly options: Required<AdamOptions>;
  /** An empty state (moments are created on a variable's first gradient, as PyTorch does). */
  init(): AdamState;
  /**
   * Applies one update to every variable that has a gradient in `grads` (keyed by variable name)
   * and advances that variable's slot; variables without a gradient are left untouched, slot
   * included (PyTorch skips parameters whose `.grad` is None). `lr` overrides the base rate.
   */
  update(
    variables: readonly tf.Variable[],
    grads: Record<string, tf.Tensor>,
    state: AdamState,
    lr?: number,
  ): void;
}

/**
 * Creates Adam with PyTorch's update (torch.optim.Adam, amsgrad off, no weight decay):
 * m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2, w -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps).
 */
export function createAdam(options: AdamOptions = {}): Adam {
  const o: Required<AdamOptions> = {
    lr: options.lr ?? 1e-3,
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? 0.999,
    eps: options.eps ?? 1e-8,
  };
  for (const [k, v] of Object.entries(o)) {
    if (!Number.isFinite(v) || v < 0)
      throw new RangeError(`createAdam: ${k} must be a finite number >= 0, got ${v}`);
  }
  if (o.beta1 >= 1 || o.beta2 >= 1) throw new RangeError('createAdam: beta1 and beta2 must be < 1');
  return {
    options: o,
    init: () => ({ slots: new Map() }),
    update(variables, grads, state, lr = o.lr) {
      for (const variable of variables) {
        const g = grads[variable.name];
        if (!g) continue;
        let slot = state.slots.get(variable.name);
        if (!slot) {
          slot = { step: 0, m: tf.keep(tf.zerosLike(variable)), v: tf.keep(tf.zerosLike(variable)) };
          state.slots.set(variable.name, slot);
        }
        const step = slot.step + 1;
        const { m: m0, v: v0 } = slot;
        const [m, v] = tf.tidy(() => {
          const m = tf.add(tf.mul(m0, o.beta1), tf.mul(g, 1 - o.beta1));
          const v = tf.add(tf.mul(v0, o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
          const bc1 = 1 - o.beta1 ** step;
          const bc2 = 1 - o.beta2 ** step;
          const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), o.eps);
          variable.assign(tf.sub(variable, tf.mul(tf.div(m, denom), lr / bc1)));
          return [m, v];
        });
        m0.dispose();
        v0.dispose();
        state.slots.set(variable.name, { step, m: m!, v: v! });
      }
    },
  };
}

/** Copies an Adam state out of tensors into plain arrays (for a checkpoint). */
export function adamStateToData(state: AdamState): AdamStateData {
  const out: AdamStateData = {};
  for (const [name, s] of state.slots) {
    out[name] = {
      step: s.step,
      shape: s.m.shape.slice(),
      m: new Float32Array(s.m.dataSync()),
      v: new Float32Array(s.v.dataSync()),
    };
  }
  return out;
}

/** Rebuilds an Adam state from plain data; the caller disposes any state it replaces. */
export function adamStateFromData(data: AdamStateData): AdamState {
  const slots = new Map<string, AdamSlot>();
  for (const [name, d] of Object.entries(data)) {
    slots.set(name, { step: d.step, m: tf.tensor(d.m, d.shape), v: tf.tensor(d.v, d.shape) });
  }
  return { slots };
}

/** Frees the moment tensors of an Adam state. */
export function disposeAdamState(state: AdamState): void {
  for (const s of state.slots.values()) {
    s.m.dispose();
    s.v.dispose();
  }
  state.slots.clear();
}
