import { detached, type Estimator, type Rng, sampleCategorical } from '@stnas/st-estimator';
import { type Rank, type Tensor, type Tensor3D, type Variable, zeros } from '@tensorflow/tfjs-core';
import type { LengthRule } from './lengths';
import type { Op, OpContext } from './ops';

/** How a supernet forward picks candidates in every node. */
export type NodeMode = 'warmup' | 'search' | 'eval' | 'train';

/** Options of one supernet or model forward. */
export interface ApplyOptions {
  /**
   * `warmup`: one candidate per node, uniformly (the reference's warmup). `search`: the estimator
   * plans which candidates run and mixes them. `train`: one candidate sampled from p (the weight
   * step of the search). `eval`: one candidate sampled from p, or the argmax with `argmax: true`.
   * Ignored by nodes with one candidate.
   */
  readonly mode: NodeMode;
  /** Random source for sampling and dropout (createRng of @stnas/st-estimator). */
  readonly rng?: Rng;
  /** The estimator for `search` mode. */
  readonly estimator?: Estimator;
  /** Dropout and BatchNorm statistics are active only when training. */
  readonly training: boolean;
  /** Step passed to the estimator's temperature schedule. */
  readonly step?: number;
  /** In `eval` mode, take the argmax of p in every node instead of sampling. */
  readonly argmax?: boolean;
  /** A fixed candidate index per searchable node (in `nodes()` order); overrides sampling except in `search`. */
  readonly choices?: readonly number[];
  /** How lengths follow a stride; default `reference` (thu-spmi/ST-NAS). */
  readonly lengthRule?: LengthRule;
}

/** State threaded through one forward: options plus the choices made so far. */
export interface RunState {
  /** The forward's options. */
  readonly opts: ApplyOptions;
  /** Context handed to ops. */
  readonly ctx: OpContext;
  /** Chosen candidate per searchable node, appended in order. */
  readonly choices: number[];
}

function needRng(opts: ApplyOptions, where: string): Rng {
  if (!opts.rng) throw new Error(`${where}: mode '${opts.mode}' samples candidates and needs opts.rng`);
  return opts.rng;
}

/**
 * A node choosing one of K candidate ops (thu-spmi/ST-NAS modules/Node.py `NODE`), with one
 * architecture logit per candidate initialised to 0. A node of one candidate is a plain op.
 */
export class MixedNode {
  constructor(
    /** Stable name, e.g. `block0.node0`. */
    readonly name: string,
    /** The candidate ops. */
    readonly candidates: readonly Op[],
    /** Architecture logits [K] (undefined for a single candidate). */
    readonly archLogits: Variable<Rank.R1> | undefined,
  ) {}

  /** Softmax of the architecture logits (1 for a single candidate). */
  probs(): number[] {
    if (!this.archLogits) return [1];
    const a = Array.from(this.archLogits.dataSync());
    const m = Math.max(...a);
    const e = a.map((v) => Math.exp(v - m));
    const s = e.reduce((x, y) => x + y, 0);
    return e.map((v) => v / s);
  }

  /** Index of the most probable candidate (the first on ties). */
  best(): number {
    const p = this.probs();
    return p.indexOf(Math.max(...p));
  }

  /** Runs the node; records its choice in `state.choices` when it has more than one candidate. */
  apply(x: Tensor3D, lengths: readonly number[], state: RunState): { y: Tensor3D; lengths: number[] } {
    const k = this.candidates.length;
    const frames = x.shape[1];
    const rule = state.ctx.lengthRule;
    const outLens = (i: number) => this.candidates[i]!.outLengths(lengths, frames, rule);
    if (!this.archLogits) return { y: this.candidates[0]!.apply(x, lengths, state.ctx), lengths: outLens(0) };
    const { opts } = state;
    const nodeIndex = state.choices.length;
    let choice: number;
    if (opts.mode === 'search') {
      if (!opts.estimator) throw new Error(`${this.name}: mode 'search' needs opts.estimator`);
      const plan = opts.estimator.plan(this.archLogits, needRng(opts, this.name), opts.step);
      const outputs: (Tensor | undefined)[] = new Array(k).fill(undefined);
      for (const i of plan.train) outputs[i] = this.candidates[i]!.apply(x, lengths, state.ctx);
      for (const i of plan.detach) {
        outputs[i] = detached((xi) => this.candidates[i]!.apply(xi as Tensor3D, lengths, state.ctx), x);
      }
      const shape = outputs.find((o) => o)?.shape;
      outputs.forEach((o, i) => {
        if (o && o.shape.join() !== shape?.join()) {
          throw new Error(
            `${this.name}: candidates ${this.candidates[i]!.name} and others give shapes [${o.shape}] vs [${shape}]; candidates of one node must agree`,
          );
        }
      });
      state.choices.push(plan.index);
      return { y: opts.estimator.mix(plan, outputs) as Tensor3D, lengths: outLens(plan.index) };
    }
    const forced = opts.choices?.[nodeIndex];
    if (forced !== undefined) {
      if (!Number.isInteger(forced) || forced < 0 || forced >= k) {
        throw new Error(
          `${this.name}: opts.choices[${nodeIndex}] = ${forced}; expected an integer in [0, ${k})`,
        );
      }
      choice = forced;
    } else if (opts.mode === 'warmup') {
      choice = needRng(opts, this.name).nextInt(k);
    } else if (opts.mode === 'eval' && opts.argmax) {
      choice = this.best();
    } else if (opts.mode === 'eval' || opts.mode === 'train') {
      choice = sampleCategorical(this.archLogits, needRng(opts, this.name));
    } else {
      throw new Error(
        `${this.name}: unknown mode ${JSON.stringify(opts.mode)}; expected warmup, search, eval or train`,
      );
    }
    state.choices.push(choice);
    const op = this.candidates[choice]!;
    const y =
      op.spec.kind === 'zero' ? zeros([x.shape[0], frames, op.odim]) : op.apply(x, lengths, state.ctx);
    return { y: y as Tensor3D, lengths: outLens(choice) };
  }
}
