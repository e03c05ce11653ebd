import { ones, randomUniform, type Tensor, type Variable, variable, zeros } from '@tensorflow/tfjs-core';

/**
 * Creates a model's variables under stable dotted names, initialised like PyTorch's defaults
 * (uniform in ±1/sqrt(fan_in)) from a seed, so a seeded build is identical on every backend.
 */
export class ParamStore {
  /** Trainable weights by stable name, in creation order. */
  readonly weights = new Map<string, Variable>();
  /** Non-trained state (BatchNorm running statistics) by stable name. */
  readonly buffers = new Map<string, Variable>();
  private count = 0;

  constructor(private readonly seed: number) {}

  /** A trainable variable drawn uniformly from [-bound, bound]. */
  uniform<R extends Variable>(name: string, shape: number[], bound: number): R {
    const s = (this.seed * 1_000_003 + this.count++) % 2_147_483_647;
    return this.add(this.weights, name, randomUniform(shape, -bound, bound, 'float32', s)) as R;
  }

  /** A trainable variable filled with a constant (0 or 1). */
  constant<R extends Variable>(name: string, shape: number[], value: 0 | 1): R {
    return this.add(this.weights, name, value ? ones(shape) : zeros(shape)) as R;
  }

  /** A non-trainable buffer filled with a constant. */
  buffer<R extends Variable>(name: string, shape: number[], value: 0 | 1): R {
    return this.add(this.buffers, name, value ? ones(shape) : zeros(shape), false) as R;
  }

  private add(map: Map<string, Variable>, name: string, init: Tensor, trainable = true): Variable {
    if (this.weights.has(name) || this.buffers.has(name))
      throw new Error(`ParamStore: duplicate parameter name "${name}"`);
    // No TF.js variable name: names are global in TF.js and two models may share ours.
    const v = variable(init, trainable);
    init.dispose();
    map.set(name, v);
    return v;
  }
}
