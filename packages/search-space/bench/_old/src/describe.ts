import type { MixedNode } from './mixed-node';
import type { SearchSpaceModel } from './supernet';

/** One edge of the network graph, as the reference's `printGraph` gives it. */
export interface GraphEdge {
  /** Source vertex. */
  readonly tail: number;
  /** Target vertex. */
  readonly head: number;
  /** The op on the edge (a node's most probable candidate; reversed nodes end in `reverse`). */
  readonly op: string;
  /** For searchable nodes: the node's name, candidates and their probabilities. */
  readonly node?: {
    readonly name: string;
    readonly candidates: readonly string[];
    readonly probs: readonly number[];
  };
}

function edge(tail: number, head: number, node: MixedNode, suffix = ''): GraphEdge {
  const op = node.candidates[node.best()]!.name + suffix;
  if (!node.archLogits) return { tail, head, op };
  return {
    tail,
    head,
    op,
    node: { name: node.name, candidates: node.candidates.map((c) => c.name), probs: node.probs() },
  };
}

/**
 * The network as `(tail, head, op)` edges for drawing (thu-spmi/ST-NAS superNet.py `printGraph`):
 * vertices are the feature maps between layers; a bi-node block has two parallel edges, a residual
 * block adds its shortcut from the block's first to its last vertex.
 */
export function describe(model: SearchSpaceModel): GraphEdge[] {
  const out: GraphEdge[] = [];
  let tail = 0;
  for (const layer of model.layers) {
    if (layer.type === 'fixed') {
      out.push({ tail, head: tail + 1, op: layer.op.name });
      tail += 1;
      continue;
    }
    const { block } = layer;
    const base = block.kind === 'residual' ? block.base! : block.kind;
    const inner = block.kind === 'residual' ? block.nodes.slice(0, -1) : block.nodes;
    out.push(edge(tail, tail + 1, inner[0]!));
    if (base === 'bi') out.push(edge(tail, tail + 1, inner[1]!, 'reverse'));
    if (block.kind === 'residual') out.push(edge(tail, tail + 1, block.nodes[block.nodes.length - 1]!));
    tail += 1;
  }
  return out;
}

/** Total number of trainable weights (architecture logits and BatchNorm running statistics excluded). */
export function countParams(model: SearchSpaceModel): number {
  return model.weightVariables().reduce((n, v) => n + v.size, 0);
}
