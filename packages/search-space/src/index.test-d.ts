// Pins the public signatures of @stnas/search-space (src/index.ts): an accidental change to a parameter,
// a return type or a field fails `vitest` (typecheck). New exports and new fields do not.

import type { Estimator, Rng } from '@stnas/st-estimator';
import type { Rank, Tensor, Tensor1D, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
import { expectTypeOf, it, describe as suite } from 'vitest';
import {
  type ApplyOptions,
  type ApplyResult,
  type BatchNormState,
  type Block,
  type BuildOptions,
  buildModel,
  buildSupernet,
  canonicalOpName,
  countParams,
  createEntangledTdnns,
  createOp,
  DEMO_CONFIG,
  deriveArchitecture,
  describe,
  dropout,
  type ExpandedConfig,
  expandConfig,
  formatOpName,
  type GraphEdge,
  generateOdims,
  type Layer,
  type LengthRule,
  type LoadOptions,
  layerNorm,
  lengthMask,
  loadWeights,
  MixedNode,
  maskedBatchNorm,
  maskFrames,
  matMulPlain,
  type NetConfigs,
  type NetName,
  NODES_PER_BLOCK,
  type NodeMode,
  type Op,
  type OpContext,
  type OpSpec,
  ParamStore,
  parseOpName,
  type RnnWeights,
  reverseFrames,
  rnnDirection,
  rnnLayer,
  SearchSpaceModel,
  type SeedSource,
  type StnasConfig,
  saveWeights,
  stridedFrames,
  stridedLengths,
  type TdnnGeometry,
  tdnnRelu,
  type WeightSharing,
  WSJ_STNAS_CONFIG,
} from './index';
import type { RunState } from './mixed-node';

suite('@stnas/search-space public API', () => {
  it('BatchNormState', () => {
    expectTypeOf<BatchNormState['gamma']>().toEqualTypeOf<Variable<Rank.R1>>();
    expectTypeOf<BatchNormState['beta']>().toEqualTypeOf<Variable<Rank.R1>>();
    expectTypeOf<BatchNormState['runningMean']>().toEqualTypeOf<Variable<Rank.R1>>();
    expectTypeOf<BatchNormState['runningVar']>().toEqualTypeOf<Variable<Rank.R1>>();
  });
  it('maskedBatchNorm', () => {
    expectTypeOf(maskedBatchNorm).toEqualTypeOf<
      (
        x: Tensor3D,
        lengths: readonly number[],
        state: BatchNormState,
        training: boolean,
        options?: { eps?: number | undefined; momentum?: number | undefined },
      ) => Tensor3D
    >();
  });
  it('ExpandedConfig', () => {
    expectTypeOf<ExpandedConfig['net']>().toEqualTypeOf<NetName>();
    expectTypeOf<ExpandedConfig['netConfigs']>().toEqualTypeOf<NetConfigs>();
    expectTypeOf<ExpandedConfig['candidates']>().toEqualTypeOf<string[][][]>();
    expectTypeOf<ExpandedConfig['odims']>().toEqualTypeOf<number[]>();
    expectTypeOf<ExpandedConfig['dropout']>().toEqualTypeOf<number>();
    expectTypeOf<ExpandedConfig['weightSharing']>().toEqualTypeOf<WeightSharing>();
  });
  it('expandConfig', () => {
    expectTypeOf(expandConfig).toEqualTypeOf<(config: StnasConfig) => ExpandedConfig>();
  });
  it('generateOdims', () => {
    expectTypeOf(generateOdims).toEqualTypeOf<
      (numBlocks: number, odims: number | readonly number[]) => number[]
    >();
  });
  it('NetConfigs', () => {
    expectTypeOf<NetConfigs['block_list']>().toEqualTypeOf<readonly number[]>();
    expectTypeOf<NetConfigs['idim']>().toEqualTypeOf<number>();
    expectTypeOf<NetConfigs['odims']>().toEqualTypeOf<number | readonly number[]>();
    expectTypeOf<NetConfigs['num_classes']>().toEqualTypeOf<number>();
    expectTypeOf<NetConfigs['dropout']>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<NetConfigs['pos_subsample']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NetConfigs['idim_sub']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NetConfigs['odim_sub']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NetConfigs['dropout_sub']>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<NetConfigs['weight_sharing']>().toEqualTypeOf<WeightSharing | undefined>();
  });
  it('NetName', () => {
    expectTypeOf<NetName>().toEqualTypeOf<
      'UniNodeNet' | 'ResidualNet' | 'BiNodeNet' | 'BiResidualNet' | 'MFRNet'
    >();
  });
  it('NODES_PER_BLOCK', () => {
    expectTypeOf(NODES_PER_BLOCK).toEqualTypeOf<Readonly<Record<NetName, number>>>();
  });
  it('StnasConfig', () => {
    expectTypeOf<StnasConfig['candidate']>().toEqualTypeOf<
      readonly string[] | { readonly [pos: string]: readonly string[]; readonly base: readonly string[] }
    >();
    expectTypeOf<StnasConfig['net']>().toEqualTypeOf<NetName>();
    expectTypeOf<StnasConfig['net_configs']>().toEqualTypeOf<NetConfigs>();
  });
  it('WeightSharing', () => {
    expectTypeOf<WeightSharing>().toEqualTypeOf<'independent' | 'entangled'>();
  });
  it('DEMO_CONFIG', () => {
    expectTypeOf(DEMO_CONFIG).toEqualTypeOf<StnasConfig>();
  });
  it('WSJ_STNAS_CONFIG', () => {
    expectTypeOf(WSJ_STNAS_CONFIG).toEqualTypeOf<StnasConfig>();
  });
  it('deriveArchitecture', () => {
    expectTypeOf(deriveArchitecture).toEqualTypeOf<(supernet: SearchSpaceModel) => StnasConfig>();
  });
  it('countParams', () => {
    expectTypeOf(countParams).toEqualTypeOf<(model: SearchSpaceModel) => number>();
  });
  it('describe', () => {
    expectTypeOf(describe).toEqualTypeOf<(model: SearchSpaceModel) => GraphEdge[]>();
  });
  it('GraphEdge', () => {
    expectTypeOf<GraphEdge['tail']>().toEqualTypeOf<number>();
    expectTypeOf<GraphEdge['head']>().toEqualTypeOf<number>();
    expectTypeOf<GraphEdge['op']>().toEqualTypeOf<string>();
    expectTypeOf<GraphEdge['node']>().toEqualTypeOf<
      | { readonly name: string; readonly candidates: readonly string[]; readonly probs: readonly number[] }
      | undefined
    >();
  });
  it('dropout', () => {
    expectTypeOf(dropout).toEqualTypeOf<<T extends Tensor>(x: T, rate: number, rng: SeedSource) => T>();
  });
  it('SeedSource', () => {
    expectTypeOf<SeedSource['nextInt']>().toEqualTypeOf<(n: number) => number>();
  });
  it('layerNorm', () => {
    expectTypeOf(layerNorm).toEqualTypeOf<
      <T extends Tensor>(x: T, gamma: Tensor1D, beta: Tensor1D, eps?: number) => T
    >();
  });
  it('LengthRule', () => {
    expectTypeOf<LengthRule>().toEqualTypeOf<'reference' | 'conv'>();
  });
  it('stridedFrames', () => {
    expectTypeOf(stridedFrames).toEqualTypeOf<(frames: number, stride: number) => number>();
  });
  it('stridedLengths', () => {
    expectTypeOf(stridedLengths).toEqualTypeOf<
      (lengths: readonly number[], frames: number, stride: number, rule?: LengthRule) => number[]
    >();
  });
  it('lengthMask', () => {
    expectTypeOf(lengthMask).toEqualTypeOf<(lengths: readonly number[], frames: number) => Tensor3D>();
  });
  it('maskFrames', () => {
    expectTypeOf(maskFrames).toEqualTypeOf<<T extends Tensor>(x: T, lengths: readonly number[]) => T>();
  });
  it('matMulPlain', () => {
    expectTypeOf(matMulPlain).toEqualTypeOf<(a: Tensor2D, b: Tensor2D) => Tensor2D>();
  });
  it('ApplyOptions', () => {
    expectTypeOf<ApplyOptions['mode']>().toEqualTypeOf<NodeMode>();
    expectTypeOf<ApplyOptions['rng']>().toEqualTypeOf<Rng | undefined>();
    expectTypeOf<ApplyOptions['estimator']>().toEqualTypeOf<Estimator | undefined>();
    expectTypeOf<ApplyOptions['training']>().toEqualTypeOf<boolean>();
    expectTypeOf<ApplyOptions['step']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ApplyOptions['argmax']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<ApplyOptions['choices']>().toEqualTypeOf<readonly number[] | undefined>();
    expectTypeOf<ApplyOptions['lengthRule']>().toEqualTypeOf<LengthRule | undefined>();
  });
  it('MixedNode', () => {
    expectTypeOf(MixedNode).constructorParameters.toEqualTypeOf<
      [name: string, candidates: readonly Op[], archLogits: Variable<Rank.R1> | undefined]
    >();
    expectTypeOf<MixedNode['probs']>().toEqualTypeOf<() => number[]>();
    expectTypeOf<MixedNode['best']>().toEqualTypeOf<() => number>();
    expectTypeOf<MixedNode['apply']>().toEqualTypeOf<
      (x: Tensor3D, lengths: readonly number[], state: RunState) => { y: Tensor3D; lengths: number[] }
    >();
  });
  it('NodeMode', () => {
    expectTypeOf<NodeMode>().toEqualTypeOf<'warmup' | 'search' | 'eval' | 'train'>();
  });
  it('formatOpName', () => {
    expectTypeOf(formatOpName).toEqualTypeOf<(spec: OpSpec) => string>();
  });
  it('OpSpec', () => {
    expectTypeOf<OpSpec>().toEqualTypeOf<
      | {
          readonly kind: 'tdnn';
          readonly halfContext: number;
          readonly stride: number;
          readonly dilation: number;
          readonly norm: 'ln' | 'bn';
        }
      | { readonly kind: 'lstm' | 'blstm' | 'gru' | 'bgru' | 'identity' | 'zero' | 'linear' }
    >();
  });
  it('parseOpName', () => {
    expectTypeOf(parseOpName).toEqualTypeOf<(name: string) => OpSpec>();
  });
  it('canonicalOpName', () => {
    expectTypeOf(canonicalOpName).toEqualTypeOf<(name: string) => string>();
  });
  it('createOp', () => {
    expectTypeOf(createOp).toEqualTypeOf<
      (name: string, idim: number, odim: number, dropoutRate: number, store: ParamStore, prefix: string) => Op
    >();
  });
  it('Op', () => {
    expectTypeOf<Op['name']>().toEqualTypeOf<string>();
    expectTypeOf<Op['spec']>().toEqualTypeOf<OpSpec>();
    expectTypeOf<Op['idim']>().toEqualTypeOf<number>();
    expectTypeOf<Op['odim']>().toEqualTypeOf<number>();
    expectTypeOf<Op['outLengths']>().toEqualTypeOf<
      (lengths: readonly number[], frames: number, rule: LengthRule) => number[]
    >();
    expectTypeOf<Op['apply']>().toEqualTypeOf<
      (x: Tensor3D, lengths: readonly number[], ctx: OpContext) => Tensor3D
    >();
  });
  it('OpContext', () => {
    expectTypeOf<OpContext['training']>().toEqualTypeOf<boolean>();
    expectTypeOf<OpContext['rng']>().toEqualTypeOf<SeedSource | undefined>();
    expectTypeOf<OpContext['lengthRule']>().toEqualTypeOf<LengthRule>();
  });
  it('ParamStore', () => {
    expectTypeOf(ParamStore).constructorParameters.toEqualTypeOf<[seed: number]>();
    expectTypeOf<ParamStore['weights']>().toEqualTypeOf<Map<string, Variable<Rank>>>();
    expectTypeOf<ParamStore['buffers']>().toEqualTypeOf<Map<string, Variable<Rank>>>();
    expectTypeOf<ParamStore['uniform']>().toEqualTypeOf<
      <R extends Variable>(name: string, shape: number[], bound: number) => R
    >();
    expectTypeOf<ParamStore['constant']>().toEqualTypeOf<
      <R extends Variable>(name: string, shape: number[], value: 0 | 1) => R
    >();
    expectTypeOf<ParamStore['buffer']>().toEqualTypeOf<
      <R extends Variable>(name: string, shape: number[], value: 0 | 1) => R
    >();
  });
  it('reverseFrames', () => {
    expectTypeOf(reverseFrames).toEqualTypeOf<(x: Tensor3D, lengths: readonly number[]) => Tensor3D>();
  });
  it('RnnWeights', () => {
    expectTypeOf<RnnWeights['wIh']>().toEqualTypeOf<Variable<Rank.R2>>();
    expectTypeOf<RnnWeights['wHh']>().toEqualTypeOf<Variable<Rank.R2>>();
    expectTypeOf<RnnWeights['bIh']>().toEqualTypeOf<Variable<Rank.R1>>();
    expectTypeOf<RnnWeights['bHh']>().toEqualTypeOf<Variable<Rank.R1>>();
  });
  it('rnnDirection', () => {
    expectTypeOf(rnnDirection).toEqualTypeOf<
      (
        kind: 'lstm' | 'gru',
        x: Tensor3D,
        lengths: readonly number[],
        w: RnnWeights,
        reverse: boolean,
      ) => Tensor3D
    >();
  });
  it('rnnLayer', () => {
    expectTypeOf(rnnLayer).toEqualTypeOf<
      (
        kind: 'lstm' | 'gru',
        x: Tensor3D,
        lengths: readonly number[],
        forward: RnnWeights,
        backward?: RnnWeights | undefined,
      ) => Tensor3D
    >();
  });
  it('ApplyResult', () => {
    expectTypeOf<ApplyResult['logits']>().toEqualTypeOf<Tensor3D>();
    expectTypeOf<ApplyResult['lengths']>().toEqualTypeOf<number[]>();
    expectTypeOf<ApplyResult['choices']>().toEqualTypeOf<number[]>();
  });
  it('Block', () => {
    expectTypeOf<Block['index']>().toEqualTypeOf<number>();
    expectTypeOf<Block['kind']>().toEqualTypeOf<'wrap' | 'bi' | 'residual'>();
    expectTypeOf<Block['nodes']>().toEqualTypeOf<readonly MixedNode[]>();
    expectTypeOf<Block['base']>().toEqualTypeOf<'wrap' | 'bi' | undefined>();
  });
  it('BuildOptions', () => {
    expectTypeOf<BuildOptions['seed']>().toEqualTypeOf<number | undefined>();
  });
  it('buildModel', () => {
    expectTypeOf(buildModel).toEqualTypeOf<
      (config: StnasConfig, options?: BuildOptions) => SearchSpaceModel
    >();
  });
  it('buildSupernet', () => {
    expectTypeOf(buildSupernet).toEqualTypeOf<
      (config: StnasConfig, options?: BuildOptions) => SearchSpaceModel
    >();
  });
  it('Layer', () => {
    expectTypeOf<Layer>().toEqualTypeOf<
      | { readonly type: 'block'; readonly block: Block }
      | { readonly type: 'fixed'; readonly name: string; readonly op: Op }
    >();
  });
  it('SearchSpaceModel', () => {
    expectTypeOf(SearchSpaceModel).constructorParameters.toEqualTypeOf<
      [config: StnasConfig, options?: BuildOptions]
    >();
    expectTypeOf<SearchSpaceModel['layers']>().toEqualTypeOf<readonly Layer[]>();
    expectTypeOf<SearchSpaceModel['expanded']>().toEqualTypeOf<ExpandedConfig>();
    expectTypeOf<SearchSpaceModel['allNodesInOrder']>().toEqualTypeOf<() => readonly MixedNode[]>();
    expectTypeOf<SearchSpaceModel['nodes']>().toEqualTypeOf<() => MixedNode[]>();
    expectTypeOf<SearchSpaceModel['weightVariables']>().toEqualTypeOf<() => Variable<Rank>[]>();
    expectTypeOf<SearchSpaceModel['namedWeights']>().toEqualTypeOf<
      () => ReadonlyMap<string, Variable<Rank>>
    >();
    expectTypeOf<SearchSpaceModel['namedBuffers']>().toEqualTypeOf<
      () => ReadonlyMap<string, Variable<Rank>>
    >();
    expectTypeOf<SearchSpaceModel['namedArch']>().toEqualTypeOf<() => ReadonlyMap<string, Variable<Rank>>>();
    expectTypeOf<SearchSpaceModel['archVariables']>().toEqualTypeOf<() => Variable<Rank>[]>();
    expectTypeOf<SearchSpaceModel['archProbs']>().toEqualTypeOf<() => number[][]>();
    expectTypeOf<SearchSpaceModel['apply']>().toEqualTypeOf<
      (x: Tensor3D, lengths: readonly number[], opts: ApplyOptions) => ApplyResult
    >();
    expectTypeOf<SearchSpaceModel['dispose']>().toEqualTypeOf<() => void>();
  });
  it('TdnnGeometry', () => {
    expectTypeOf<TdnnGeometry['halfContext']>().toEqualTypeOf<number>();
    expectTypeOf<TdnnGeometry['stride']>().toEqualTypeOf<number>();
    expectTypeOf<TdnnGeometry['dilation']>().toEqualTypeOf<number>();
  });
  it('tdnnRelu', () => {
    expectTypeOf(tdnnRelu).toEqualTypeOf<
      (x: Tensor3D, w: Tensor3D, b: Tensor1D, g: TdnnGeometry) => Tensor3D
    >();
  });
  it('createEntangledTdnns', () => {
    expectTypeOf(createEntangledTdnns).toEqualTypeOf<
      (
        names: readonly string[],
        idim: number,
        odim: number,
        dropoutRate: number,
        store: ParamStore,
        prefix: string,
      ) => Op[]
    >();
  });
  it('LoadOptions', () => {
    expectTypeOf<LoadOptions['mode']>().toEqualTypeOf<'strict' | 'partial' | undefined>();
  });
  it('loadWeights', () => {
    expectTypeOf(loadWeights).toEqualTypeOf<
      (model: SearchSpaceModel, weights: Record<string, ArrayLike<number>>, options?: LoadOptions) => string[]
    >();
  });
  it('saveWeights', () => {
    expectTypeOf(saveWeights).toEqualTypeOf<
      (model: SearchSpaceModel) => Record<string, Float32Array<ArrayBufferLike>>
    >();
  });
});
