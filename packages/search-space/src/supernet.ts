import { add, concat, type Rank, type Tensor3D, type Variable, variable, zeros } from '@tensorflow/tfjs-core';
import { type ExpandedConfig, expandConfig, type StnasConfig } from './config';
import { checkLengths } from './lengths';
import { maskFrames } from './mask';
import { type ApplyOptions, MixedNode, type RunState } from './mixed-node';
import { parseOpName } from './op-name';
import { createOp, type Op } from './ops';
import { ParamStore } from './params';
import { reverseFrames } from './reverse-frames';
import { createEntangledTdnns } from './weight-sharing';

/** Options for building a supernet or a model. */
export interface BuildOptions {
  /** Seed of the weight initialisation (default 0). */
  readonly seed?: number;
}

/** What one forward returns. */
export interface ApplyResult {
  /** Unnormalised outputs [B, T', num_classes]; padded frames are zero. */
  readonly logits: Tensor3D;
  /** Output length of each utterance. */
  readonly lengths: number[];
  /** The candidate chosen in each searchable node, in `nodes()` order (`plan.index` in search mode). */
  readonly choices: number[];
}

/** One block of nodes (thu-spmi/ST-NAS modules/Block.py). */
export interface Block {
  /** Block index. */
  readonly index: number;
  /** `wrap` (one node), `bi` (forward and reversed half-width nodes) or `residual`. */
  readonly kind: 'wrap' | 'bi' | 'residual';
  /** Its nodes; for `residual`, the last one is the shortcut. */
  readonly nodes: readonly MixedNode[];
  /** For `residual`, the inner block kind. */
  readonly base?: 'wrap' | 'bi';
}

/** A layer of the network: a block, or a fixed op (the subsampling TDNN, the output linear). */
export type Layer =
  | { readonly type: 'block'; readonly block: Block }
  | { readonly type: 'fixed'; readonly name: string; readonly op: Op };

function runBase(
  kind: 'wrap' | 'bi',
  nodes: readonly MixedNode[],
  x: Tensor3D,
  lengths: number[],
  s: RunState,
) {
  if (kind === 'wrap') return nodes[0]!.apply(x, lengths, s);
  // BasicBlock: the second node reads the utterance reversed; its output is turned back and
  // concatenated after the first's.
  const a = nodes[0]!.apply(x, lengths, s);
  const r = nodes[1]!.apply(reverseFrames(x, lengths), lengths, s);
  if (a.y.shape.join() !== r.y.shape.join()) {
    throw new Error(
      `${nodes[0]!.name} and ${nodes[1]!.name} give shapes [${a.y.shape}] and [${r.y.shape}]; a bi-node block needs equal shapes`,
    );
  }
  return { y: concat([a.y, reverseFrames(r.y, a.lengths)], 2) as Tensor3D, lengths: a.lengths };
}

/**
 * A supernet or a fixed model built from a reference config: blocks of mixed nodes, the MFRNet
 * subsampling TDNN where configured, and the output linear layer.
 */
export class SearchSpaceModel {
  /** The layers in order. */
  readonly layers: readonly Layer[];
  /** The validated, expanded config. */
  readonly expanded: ExpandedConfig;
  private readonly store: ParamStore;
  private readonly arch = new Map<string, Variable>();
  private readonly allNodes: MixedNode[] = [];

  constructor(
    /** The config the model was built from. */
    readonly config: StnasConfig,
    options: BuildOptions = {},
  ) {
    const ex = expandConfig(config);
    this.expanded = ex;
    this.store = new ParamStore(options.seed ?? 0);
    const nc = ex.netConfigs;
    const dims = [nc.idim, ...ex.odims];
    const layers: Layer[] = [];
    for (let b = 0; b < ex.candidates.length; b++) {
      layers.push({
        type: 'block',
        block: this.makeBlock(b, ex.candidates[b]!, dims[b]!, dims[b + 1]!, ex.dropout),
      });
    }
    if (ex.net === 'MFRNet') {
      const name = 'tdnn-C1S3D1Nln';
      const op = createOp(
        name,
        nc.idim_sub!,
        nc.odim_sub!,
        nc.dropout_sub ?? 0,
        this.store,
        `sublayer.${name}`,
      );
      layers.splice(nc.pos_subsample!, 0, { type: 'fixed', name: 'sublayer', op });
    }
    layers.push({
      type: 'fixed',
      name: 'linear1',
      op: createOp('linear', dims[dims.length - 1]!, nc.num_classes, 0, this.store, 'linear1'),
    });
    this.layers = layers;
  }

  private makeNode(
    name: string,
    ops: readonly string[],
    idim: number,
    odim: number,
    dropout: number,
  ): MixedNode {
    // As the reference NODE: ops that cannot change the feature size are dropped when idim != odim.
    const kept =
      idim === odim || ops.length === 1 ? ops : ops.filter((o) => parseOpName(o).kind !== 'identity');
    if (kept.length === 0)
      throw new Error(`${name}: no candidate can map ${idim} to ${odim} dims (got ${ops.join(', ')})`);
    const seen = new Map<string, number>();
    // A node of one candidate is an ordinary op in either mode, so a derived model is a plain model.
    const cands =
      this.expanded.weightSharing === 'entangled' && kept.length > 1
        ? createEntangledTdnns(kept, idim, odim, dropout, this.store, name)
        : kept.map((op) => {
            const n = seen.get(op) ?? 0;
            seen.set(op, n + 1);
            return createOp(op, idim, odim, dropout, this.store, `${name}.${op}${n ? `#${n}` : ''}`);
          });
    let logits: Variable<Rank.R1> | undefined;
    if (cands.length > 1) {
      logits = variable(zeros([cands.length]), true) as Variable<Rank.R1>;
      this.arch.set(`${name}.arch`, logits);
    }
    const node = new MixedNode(name, cands, logits);
    this.allNodes.push(node);
    return node;
  }

  private makeBlock(b: number, cfg: string[][], idim: number, odim: number, dropout: number): Block {
    const net = this.expanded.net;
    const p = `block${b}`;
    if (net === 'UniNodeNet' || net === 'MFRNet') {
      return { index: b, kind: 'wrap', nodes: [this.makeNode(`${p}.node0`, cfg[0]!, idim, odim, dropout)] };
    }
    const half = (o: number) => {
      if (o % 2 !== 0) throw new Error(`block ${b}: output size ${o} must be even for a bi-node block`);
      return o / 2;
    };
    if (net === 'BiNodeNet') {
      return {
        index: b,
        kind: 'bi',
        nodes: [
          this.makeNode(`${p}.node0`, cfg[0]!, idim, half(odim), dropout),
          this.makeNode(`${p}.node1`, cfg[1]!, idim, half(odim), dropout),
        ],
      };
    }
    const base: 'wrap' | 'bi' = net === 'ResidualNet' ? 'wrap' : 'bi';
    const nodes =
      base === 'wrap'
        ? [this.makeNode(`${p}.node0`, cfg[0]!, idim, odim, dropout)]
        : [
            this.makeNode(`${p}.node0`, cfg[0]!, idim, half(odim), dropout),
            this.makeNode(`${p}.node1`, cfg[1]!, idim, half(odim), dropout),
          ];
    // The shortcut: the configured op when it is fixed, else zero-or-identity (zero-or-lstm when
    // the size changes), whatever the config lists (reference Block.py `ResidualBlock`).
    const last = cfg[cfg.length - 1]!;
    const short = last.length === 1 ? last : idim === odim ? ['zero', 'identity'] : ['zero', 'lstm'];
    nodes.push(this.makeNode(`${p}.node${nodes.length}`, short, idim, odim, dropout));
    return { index: b, kind: 'residual', base, nodes };
  }

  /** All nodes in order (blocks, then nodes within a block), including single-candidate ones. */
  allNodesInOrder(): readonly MixedNode[] {
    return this.allNodes;
  }

  /** The searchable nodes (more than one candidate), in the order `choices` and `archVariables` use. */
  nodes(): MixedNode[] {
    return this.allNodes.filter((n) => n.archLogits);
  }

  /** Trainable weights (everything but the architecture logits and BatchNorm running statistics). */
  weightVariables(): Variable[] {
    return [...this.store.weights.values()];
  }

  /** Trainable weights by stable name. */
  namedWeights(): ReadonlyMap<string, Variable> {
    return this.store.weights;
  }

  /** BatchNorm running statistics by stable name. */
  namedBuffers(): ReadonlyMap<string, Variable> {
    return this.store.buffers;
  }

  /** Architecture logits by stable name (`block{b}.node{n}.arch`). */
  namedArch(): ReadonlyMap<string, Variable> {
    return this.arch;
  }

  /** The architecture logits, one [K] variable per searchable node. */
  archVariables(): Variable[] {
    return [...this.arch.values()];
  }

  /** Softmax of each searchable node's logits. */
  archProbs(): number[][] {
    return this.nodes().map((n) => n.probs());
  }

  /**
   * Runs the network on features [B, T, idim] with per-utterance lengths. Padded frames are
   * zeroed on input and after every op, so an utterance gives the same values alone and padded.
   */
  apply(x: Tensor3D, lengths: readonly number[], opts: ApplyOptions): ApplyResult {
    if (x.rank !== 3 || x.shape[2] !== this.expanded.netConfigs.idim) {
      throw new Error(
        `SearchSpaceModel.apply: x must be [B, T, ${this.expanded.netConfigs.idim}], got [${x.shape}]`,
      );
    }
    checkLengths(lengths, x.shape[0], x.shape[1], 'SearchSpaceModel.apply');
    const state: RunState = {
      opts,
      ctx: { training: opts.training, rng: opts.rng, lengthRule: opts.lengthRule ?? 'reference' },
      choices: [],
    };
    let h = maskFrames(x, lengths);
    let lens = [...lengths];
    for (const layer of this.layers) {
      if (layer.type === 'fixed') {
        const frames = h.shape[1];
        h = layer.op.apply(h, lens, state.ctx);
        lens = layer.op.outLengths(lens, frames, state.ctx.lengthRule);
        continue;
      }
      const blk = layer.block;
      if (blk.kind === 'residual') {
        const base = runBase(blk.base!, blk.nodes.slice(0, -1), h, lens, state);
        const sc = blk.nodes[blk.nodes.length - 1]!.apply(h, lens, state);
        h = add(base.y, sc.y) as Tensor3D;
        lens = base.lengths;
      } else {
        const r = runBase(blk.kind, blk.nodes, h, lens, state);
        h = r.y;
        lens = r.lengths;
      }
    }
    return { logits: h, lengths: lens, choices: state.choices };
  }

  /** Frees every variable of the model. */
  dispose(): void {
    for (const v of [...this.store.weights.values(), ...this.store.buffers.values(), ...this.arch.values()])
      v.dispose();
  }
}

/** Builds the supernet of a reference config: every node holds all its candidates. */
export function buildSupernet(config: StnasConfig, options: BuildOptions = {}): SearchSpaceModel {
  return new SearchSpaceModel(config, options);
}

/** Builds a fixed-architecture model; every node must list exactly one op (e.g. a derived config). */
export function buildModel(config: StnasConfig, options: BuildOptions = {}): SearchSpaceModel {
  const ex = expandConfig(config);
  for (const [b, blk] of ex.candidates.entries()) {
    for (const [n, ops] of blk.entries()) {
      if (ops.length !== 1) {
        throw new Error(
          `buildModel: node ${b}-${n} lists ${ops.length} candidates (${ops.join(', ')}); a fixed model needs one per node (use buildSupernet to search)`,
        );
      }
    }
  }
  const model = new SearchSpaceModel(config, options);
  if (model.nodes().length > 0) {
    throw new Error(
      `buildModel: nodes ${model
        .nodes()
        .map((n) => n.name)
        .join(', ')} still hold several candidates`,
    );
  }
  return model;
}
