import { tensor, type Variable } from '@tensorflow/tfjs-core';
import type { SearchSpaceModel } from './supernet';

/** Every tensor of a model by stable name: weights, BatchNorm running statistics and architecture logits. */
function allNamed(model: SearchSpaceModel): Map<string, Variable> {
  return new Map([...model.namedWeights(), ...model.namedBuffers(), ...model.namedArch()]);
}

/**
 * A copy of every tensor of the model as `name -> Float32Array` under stable names
 * (`block0.node0.tdnn-C2D1Nln.weight`, `sublayer.tdnn-C1S3D1Nln.bias`, `linear1.weight`,
 * `block0.node0.arch`, ...). Shapes follow from the config.
 */
export function saveWeights(model: SearchSpaceModel): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, v] of allNamed(model)) out[name] = Float32Array.from(v.dataSync() as Float32Array);
  return out;
}

/** Options of {@link loadWeights}. */
export interface LoadOptions {
  /**
   * `strict` (default): the map must hold exactly the model's names. `partial`: load the names both
   * have (e.g. a derived model from its supernet's weights) and ignore the rest.
   */
  readonly mode?: 'strict' | 'partial';
}

/**
 * Assigns saved tensors to the model by name. Checks everything before assigning anything, so a
 * bad map leaves the model unchanged; errors name the tensor and the expected size. Returns the
 * names loaded.
 */
export function loadWeights(
  model: SearchSpaceModel,
  weights: Record<string, ArrayLike<number>>,
  options: LoadOptions = {},
): string[] {
  const mode = options.mode ?? 'strict';
  const named = allNamed(model);
  const names = Object.keys(weights);
  if (mode === 'strict') {
    const missing = [...named.keys()].filter((n) => !(n in weights));
    const extra = names.filter((n) => !named.has(n));
    if (missing.length || extra.length) {
      throw new Error(
        `loadWeights: names do not match the model` +
          (missing.length
            ? `; missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (+${missing.length - 5} more)` : ''}`
            : '') +
          (extra.length
            ? `; unexpected ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ` (+${extra.length - 5} more)` : ''}`
            : ''),
      );
    }
  }
  const todo: [string, Variable, ArrayLike<number>][] = [];
  for (const name of names) {
    const v = named.get(name);
    if (!v) continue;
    const data = weights[name]!;
    if (!data || data.length !== v.size) {
      throw new Error(
        `loadWeights: "${name}" has ${data?.length} values; expected ${v.size} (shape [${v.shape}])`,
      );
    }
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]))
        throw new Error(`loadWeights: "${name}"[${i}] is ${data[i]}; expected a finite number`);
    }
    todo.push([name, v, data]);
  }
  for (const [, v, data] of todo) {
    const t = tensor(Float32Array.from(data), v.shape);
    v.assign(t);
    t.dispose();
  }
  return todo.map(([name]) => name);
}
