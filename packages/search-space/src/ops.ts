import {
  add,
  type Rank,
  reshape,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Variable,
  zeros,
} from '@tensorflow/tfjs-core';
import { type BatchNormState, maskedBatchNorm } from './batch-norm';
import { dropout, type SeedSource } from './dropout';
import { layerNorm } from './layer-norm';
import { type LengthRule, stridedLengths } from './lengths';
import { maskFrames } from './mask';
import { matMulPlain } from './mat-mul';
import { formatOpName, type OpSpec, parseOpName } from './op-name';
import type { ParamStore } from './params';
import { type RnnWeights, rnnLayer } from './rnn';
import { tdnnRelu } from './tdnn-kernel';

/** What an op needs at run time besides its input. */
export interface OpContext {
  /** Dropout and BatchNorm statistics are active only when training. */
  readonly training: boolean;
  /** Seeds dropout; required when training an op with dropout. */
  readonly rng?: SeedSource;
  /** How lengths follow a stride (default `reference`). */
  readonly lengthRule: LengthRule;
}

/** One candidate operation: an op of the reference library with its own weights. */
export interface Op {
  /** The op name as written in the config (e.g. `tdnn-C2D1Nln`). */
  readonly name: string;
  /** The parsed name. */
  readonly spec: OpSpec;
  /** Input feature size. */
  readonly idim: number;
  /** Output feature size. */
  readonly odim: number;
  /** Output lengths for a batch padded to `frames` (no tensors involved). */
  outLengths(lengths: readonly number[], frames: number, rule: LengthRule): number[];
  /** Runs the op on [B, T, idim] whose padded frames are zero; padded output frames are zero. */
  apply(x: Tensor3D, lengths: readonly number[], ctx: OpContext): Tensor3D;
}

function needRng(ctx: OpContext, name: string): SeedSource {
  if (!ctx.rng)
    throw new Error(`op ${name}: training with dropout needs opts.rng (an Rng from @stnas/st-estimator)`);
  return ctx.rng;
}

function rnnWeights(
  store: ParamStore,
  prefix: string,
  suffix: string,
  idim: number,
  hdim: number,
  gates: number,
): RnnWeights {
  const bound = 1 / Math.sqrt(hdim);
  return {
    wIh: store.uniform(`${prefix}.weight_ih${suffix}`, [idim, gates * hdim], bound),
    wHh: store.uniform(`${prefix}.weight_hh${suffix}`, [hdim, gates * hdim], bound),
    bIh: store.uniform(`${prefix}.bias_ih${suffix}`, [gates * hdim], bound),
    bHh: store.uniform(`${prefix}.bias_hh${suffix}`, [gates * hdim], bound),
  };
}

/** A TDNN's weights besides its kernel: bias, norm scale and shift, BatchNorm statistics. */
export interface TdnnParams {
  /** Bias [odim]. */
  readonly b: Variable<Rank.R1>;
  /** Norm scale [odim]. */
  readonly gamma: Variable<Rank.R1>;
  /** Norm shift [odim]. */
  readonly beta: Variable<Rank.R1>;
  /** BatchNorm state for `Nbn` ops. */
  readonly bn?: BatchNormState;
}

/** Creates a TDNN's bias and norm under `prefix` (`.bias`, `.norm.weight`, `.norm.bias`, ...). */
export function tdnnParams(
  store: ParamStore,
  prefix: string,
  spec: Extract<OpSpec, { kind: 'tdnn' }>,
  odim: number,
  bound: number,
): TdnnParams {
  const b = store.uniform<Variable<Rank.R1>>(`${prefix}.bias`, [odim], bound);
  const gamma = store.constant<Variable<Rank.R1>>(`${prefix}.norm.weight`, [odim], 1);
  const beta = store.constant<Variable<Rank.R1>>(`${prefix}.norm.bias`, [odim], 0);
  const bn: BatchNormState | undefined =
    spec.norm === 'bn'
      ? {
          gamma,
          beta,
          runningMean: store.buffer(`${prefix}.norm.running_mean`, [odim], 0),
          runningVar: store.buffer(`${prefix}.norm.running_var`, [odim], 1),
        }
      : undefined;
  return { b, gamma, beta, bn };
}

/**
 * The TDNN op `name` (conv -> ReLU -> norm -> dropout, thu-spmi/ST-NAS Edge.py `TDNN`) over given
 * weights; `kernel()` gives its [2C+1, idim, odim] kernel at run time, so the kernel may be a
 * slice of a larger shared one (weight-sharing.ts).
 */
export function tdnnOp(
  name: string,
  idim: number,
  odim: number,
  rate: number,
  params: TdnnParams,
  kernel: () => Tensor3D,
): Op {
  const spec = parseOpName(name);
  if (spec.kind !== 'tdnn') throw new Error(`tdnnOp: ${name} is not a TDNN`);
  const { b, gamma, beta, bn } = params;
  const outLengths = (lengths: readonly number[], frames: number, rule: LengthRule) =>
    stridedLengths(lengths, frames, spec.stride, rule);
  return {
    name,
    spec,
    idim,
    odim,
    outLengths,
    apply(x, lengths, ctx) {
      const z = tdnnRelu(x, kernel(), b, spec);
      const lens = outLengths(lengths, x.shape[1], ctx.lengthRule);
      let y = bn
        ? maskedBatchNorm(z, lens, bn, ctx.training)
        : layerNorm(z, gamma as Tensor1D, beta as Tensor1D);
      if (ctx.training && rate > 0) y = dropout(y, rate, needRng(ctx, name));
      return maskFrames(y, lens);
    },
  };
}

/**
 * Builds the op `name` from idim to odim with dropout rate `dropout` (thu-spmi/ST-NAS Edge.py
 * `op_init`: blstm/bgru use odim/2 units per direction; identity needs idim = odim). Its weights
 * are created in `store` under `prefix`.
 */
export function createOp(
  name: string,
  idim: number,
  odim: number,
  dropoutRate: number,
  store: ParamStore,
  prefix: string,
): Op {
  const spec = parseOpName(name);
  const rate = dropoutRate ?? 0;
  const base = { name, spec, idim, odim };
  const same = (lengths: readonly number[]) => [...lengths];
  switch (spec.kind) {
    case 'tdnn': {
      const taps = 2 * spec.halfContext + 1;
      const bound = 1 / Math.sqrt(idim * taps);
      const w = store.uniform<Variable<Rank.R3>>(`${prefix}.weight`, [taps, idim, odim], bound);
      return tdnnOp(name, idim, odim, rate, tdnnParams(store, prefix, spec, odim, bound), () => w);
    }
    case 'lstm':
    case 'gru':
    case 'blstm':
    case 'bgru': {
      const bi = spec.kind === 'blstm' || spec.kind === 'bgru';
      const cell = spec.kind === 'lstm' || spec.kind === 'blstm' ? 'lstm' : 'gru';
      if (bi && odim % 2 !== 0)
        throw new Error(`op ${name} at ${prefix}: odim ${odim} must be even for a bidirectional RNN`);
      const hdim = bi ? odim / 2 : odim;
      const gates = cell === 'lstm' ? 4 : 3;
      const fw = rnnWeights(store, prefix, '', idim, hdim, gates);
      const bw = bi ? rnnWeights(store, prefix, '_reverse', idim, hdim, gates) : undefined;
      return {
        ...base,
        outLengths: same,
        apply(x, lengths, ctx) {
          let y = rnnLayer(cell, x, lengths, fw, bw);
          if (ctx.training && rate > 0) y = maskFrames(dropout(y, rate, needRng(ctx, name)), lengths);
          return y;
        },
      };
    }
    case 'linear': {
      const bound = 1 / Math.sqrt(idim);
      const w = store.uniform<Variable<Rank.R2>>(`${prefix}.weight`, [idim, odim], bound);
      const b = store.uniform<Variable<Rank.R1>>(`${prefix}.bias`, [odim], bound);
      return {
        ...base,
        outLengths: same,
        apply(x, lengths) {
          const [bsz, t] = x.shape;
          const y = add(matMulPlain(reshape(x, [bsz * t, idim]) as Tensor2D, w), b);
          return maskFrames(reshape(y, [bsz, t, odim]) as Tensor3D, lengths);
        },
      };
    }
    case 'identity':
      if (idim !== odim)
        throw new Error(`op identity at ${prefix}: needs idim = odim, got ${idim} -> ${odim}`);
      return { ...base, outLengths: same, apply: (x) => x };
    case 'zero':
      return { ...base, outLengths: same, apply: (x) => zeros([x.shape[0], x.shape[1], odim]) };
  }
}

/** The canonical form of an op name (TDNN fields made explicit). */
export function canonicalOpName(name: string): string {
  return formatOpName(parseOpName(name));
}
