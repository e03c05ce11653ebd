/** Network types of the reference (thu-spmi/ST-NAS modules/superNet.py `NetType`). */
export type NetName = 'UniNodeNet' | 'ResidualNet' | 'BiNodeNet' | 'BiResidualNet' | 'MFRNet';

/** `net_configs` of a reference config JSON. */
export interface NetConfigs {
  /** `[number of blocks]`. */
  readonly block_list: readonly number[];
  /** Input feature size. */
  readonly idim: number;
  /** Block output sizes: one number, or a list stretched over the blocks as the reference does. */
  readonly odims: number | readonly number[];
  /** Output units of the final linear layer. */
  readonly num_classes: number;
  /** Dropout rate of every block op (omit or null for none). */
  readonly dropout?: number | null;
  /** MFRNet: index among the blocks where the fixed stride-3 TDNN is inserted. */
  readonly pos_subsample?: number;
  /** MFRNet: input size of the subsampling TDNN. */
  readonly idim_sub?: number;
  /** MFRNet: output size of the subsampling TDNN. */
  readonly odim_sub?: number;
  /** MFRNet: dropout of the subsampling TDNN. */
  readonly dropout_sub?: number | null;
  /**
   * How a node's candidates hold their weights (an stnas extension; the reference has only
   * `independent`). `independent` (default): every candidate has its own. `entangled`: the TDNN
   * candidates of a node share one kernel of the node's largest context, one bias and one norm; a
   * candidate of half-context C uses the centre 2C+1 taps and its own dilation (Single-Path NAS
   * superkernels, Stamoulis et al. 2019; Once-for-All elastic kernels, Cai et al. 2020).
   */
  readonly weight_sharing?: WeightSharing;
}

/** How a node's candidates hold their weights: their own (`independent`) or one shared kernel (`entangled`). */
export type WeightSharing = 'independent' | 'entangled';

/**
 * A config in the reference's JSON format (thu-spmi/ST-NAS ASR/egs/wsj_NAS/config.json): the
 * candidates, either one list copied to every node or `{ base, "<block>-<node>": [...] }`, the net
 * type and its `net_configs`.
 */
export interface StnasConfig {
  /** Candidate op names. */
  readonly candidate:
    | readonly string[]
    | { readonly base: readonly string[]; readonly [pos: string]: readonly string[] };
  /** Network type. */
  readonly net: NetName;
  /** Sizes and options of the network. */
  readonly net_configs: NetConfigs;
}

/** Nodes per block of each network type (the reference's `len_config`). */
export const NODES_PER_BLOCK: Readonly<Record<NetName, number>> = {
  UniNodeNet: 1,
  MFRNet: 1,
  ResidualNet: 2,
  BiNodeNet: 2,
  BiResidualNet: 3,
};

/** A validated config with candidates expanded to `[block][node] -> op names`. */
export interface ExpandedConfig {
  /** The network type. */
  readonly net: NetName;
  /** The original net_configs. */
  readonly netConfigs: NetConfigs;
  /** Candidate op names per block and node. */
  readonly candidates: string[][][];
  /** Output size of every block. */
  readonly odims: number[];
  /** Dropout of the block ops (0 for none). */
  readonly dropout: number;
  /** How a node's candidates hold their weights. */
  readonly weightSharing: WeightSharing;
}

function fail(msg: string): never {
  throw new Error(`search-space config: ${msg}`);
}

function posInt(v: unknown, where: string): number {
  if (!Number.isInteger(v) || (v as number) <= 0)
    fail(`${where} must be a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

function rate(v: unknown, where: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1))
    fail(`${where} must be a number in [0, 1) or null, got ${JSON.stringify(v)}`);
  return v;
}

function opList(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string' && s.length > 0)) {
    fail(`${where} must be a non-empty list of op names, got ${JSON.stringify(v)}`);
  }
  return [...v];
}

/** Block output sizes as the reference's `_generate_odims` stretches them. */
export function generateOdims(numBlocks: number, odims: number | readonly number[]): number[] {
  if (typeof odims === 'number') return new Array(numBlocks).fill(odims);
  if (odims.length >= numBlocks) return [...odims];
  const per = Math.floor(numBlocks / odims.length);
  const out: number[] = [];
  for (const oc of odims.slice(0, -1)) for (let i = 0; i < per; i++) out.push(oc);
  while (out.length < numBlocks) out.push(odims[odims.length - 1]!);
  return out;
}

/** Validates a reference config and expands its candidates; errors name the offending field. */
export function expandConfig(config: StnasConfig): ExpandedConfig {
  if (typeof config !== 'object' || config === null)
    fail(`expected an object, got ${JSON.stringify(config)}`);
  const net = config.net;
  if (!(net in NODES_PER_BLOCK))
    fail(`"net" must be one of ${Object.keys(NODES_PER_BLOCK).join(', ')}, got ${JSON.stringify(net)}`);
  const nc = config.net_configs;
  if (typeof nc !== 'object' || nc === null) fail('"net_configs" must be an object');
  if (!Array.isArray(nc.block_list) || nc.block_list.length !== 1) {
    fail(`net_configs.block_list must be [number of blocks], got ${JSON.stringify(nc.block_list)}`);
  }
  const numBlocks = posInt(nc.block_list[0], 'net_configs.block_list[0]');
  posInt(nc.idim, 'net_configs.idim');
  posInt(nc.num_classes, 'net_configs.num_classes');
  const odimList = typeof nc.odims === 'number' ? [nc.odims] : nc.odims;
  if (!Array.isArray(odimList) || odimList.length === 0)
    fail(`net_configs.odims must be a number or a non-empty list, got ${JSON.stringify(nc.odims)}`);
  odimList.forEach((o, i) => {
    posInt(o, `net_configs.odims[${i}]`);
  });
  const odims = generateOdims(numBlocks, nc.odims);
  if (odims.length !== numBlocks)
    fail(`net_configs.odims has ${odims.length} entries for ${numBlocks} blocks`);
  const perBlock = NODES_PER_BLOCK[net];
  const cand = config.candidate;
  let candidates: string[][][];
  if (Array.isArray(cand)) {
    const base = opList(cand, 'candidate');
    candidates = Array.from({ length: numBlocks }, () => Array.from({ length: perBlock }, () => [...base]));
  } else if (typeof cand === 'object' && cand !== null) {
    const base = opList((cand as { base?: unknown }).base, 'candidate.base');
    candidates = Array.from({ length: numBlocks }, () => Array.from({ length: perBlock }, () => [...base]));
    for (const [key, ops] of Object.entries(cand)) {
      if (key === 'base') continue;
      const m = /^(\d+)-(\d+)$/.exec(key);
      if (!m) fail(`candidate key "${key}" must be "base" or "<block>-<node>"`);
      const b = Number(m[1]);
      const n = Number(m[2]);
      if (b >= numBlocks || n >= perBlock) {
        fail(`candidate "${key}" is out of range: ${numBlocks} blocks of ${perBlock} node(s) in ${net}`);
      }
      candidates[b]![n] = opList(ops, `candidate["${key}"]`);
    }
  } else {
    fail(
      `"candidate" must be a list of op names or { base, "<block>-<node>": [...] }, got ${JSON.stringify(cand)}`,
    );
  }
  if (net === 'MFRNet') {
    const pos = nc.pos_subsample;
    if (!Number.isInteger(pos) || (pos as number) < 0 || (pos as number) > numBlocks) {
      fail(`net_configs.pos_subsample must be an integer in [0, ${numBlocks}], got ${JSON.stringify(pos)}`);
    }
    posInt(nc.idim_sub, 'net_configs.idim_sub');
    posInt(nc.odim_sub, 'net_configs.odim_sub');
    rate(nc.dropout_sub, 'net_configs.dropout_sub');
    const before = (pos as number) === 0 ? nc.idim : odims[(pos as number) - 1]!;
    if (nc.idim_sub !== before)
      fail(
        `net_configs.idim_sub is ${nc.idim_sub} but the features at pos_subsample ${pos} have ${before} dims`,
      );
    const after =
      (pos as number) === numBlocks
        ? undefined
        : (pos as number) === 0
          ? nc.idim
          : odims[(pos as number) - 1]!;
    if (after !== undefined && nc.odim_sub !== after) {
      fail(`net_configs.odim_sub is ${nc.odim_sub} but block ${pos} expects ${after} input dims`);
    }
  }
  const sharing = nc.weight_sharing ?? 'independent';
  if (sharing !== 'independent' && sharing !== 'entangled') {
    fail(`net_configs.weight_sharing must be "independent" or "entangled", got ${JSON.stringify(sharing)}`);
  }
  return {
    net,
    netConfigs: nc,
    candidates,
    odims,
    dropout: rate(nc.dropout, 'net_configs.dropout'),
    weightSharing: sharing,
  };
}
