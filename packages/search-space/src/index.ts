export { type BatchNormState, maskedBatchNorm } from './batch-norm';
export {
  type ExpandedConfig,
  expandConfig,
  generateOdims,
  type NetConfigs,
  type NetName,
  NODES_PER_BLOCK,
  type StnasConfig,
  type WeightSharing,
} from './config';
export { DEMO_CONFIG, WSJ_STNAS_CONFIG } from './configs';
export { deriveArchitecture } from './derive';
export { countParams, describe, type GraphEdge } from './describe';
export { dropout, type SeedSource } from './dropout';
export { layerNorm } from './layer-norm';
export { type LengthRule, stridedFrames, stridedLengths } from './lengths';
export { lengthMask, maskFrames } from './mask';
export { matMulPlain } from './mat-mul';
export { type ApplyOptions, MixedNode, type NodeMode } from './mixed-node';
export { formatOpName, type OpSpec, parseOpName } from './op-name';
export { canonicalOpName, createOp, type Op, type OpContext } from './ops';
export { ParamStore } from './params';
export { reverseFrames } from './reverse-frames';
export { type RnnWeights, rnnDirection, rnnLayer } from './rnn';
export {
  type ApplyResult,
  type Block,
  type BuildOptions,
  buildModel,
  buildSupernet,
  type Layer,
  SearchSpaceModel,
} from './supernet';
export { type TdnnGeometry, tdnnRelu } from './tdnn-kernel';
export { createEntangledTdnns } from './weight-sharing';
export { type LoadOptions, loadWeights, saveWeights } from './weights-io';
