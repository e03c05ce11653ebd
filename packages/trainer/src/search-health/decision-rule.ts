// When an architecture search has decided: the stop rule of the search stage and the warning a
// search that ends undecided prints. Pure functions of the architecture probabilities, so the
// stop is exact on resume (the per-epoch p live in the checkpointed history).

import { argmax } from './node-entropy';

/** When a search counts as decided. */
export interface DecisionRule {
  /** Epochs over which the argmax of every node must not have changed (0: the threshold alone). */
  stableEpochs: number;
  /** Every node's largest p must be at least this. */
  threshold: number;
}

/**
 * Two stable epochs and p >= 0.6: on the bundled corpus, with the local expectation gradient, every
 * node passes 0.6 and keeps its argmax within 2 to 5 epochs, while p near uniform flips between
 * epochs. With ST, p there wanders around 0.6 and can cross it either way (docs/results.md).
 */
export const DEFAULT_DECISION_RULE: Readonly<DecisionRule> = { stableEpochs: 2, threshold: 0.6 };

/** One node that has not decided: its index, its largest p and the candidate holding it. */
export interface UndecidedNode {
  node: number;
  largest: number;
  /** Index of the candidate with the largest p. */
  best: number;
}

/** The nodes whose largest p is below `threshold`, in node order. */
export function undecidedNodes(probs: readonly (readonly number[])[], threshold: number): UndecidedNode[] {
  const out: UndecidedNode[] = [];
  probs.forEach((p, node) => {
    const best = argmax(p);
    const largest = p[best] ?? 0;
    if (largest < threshold) out.push({ node, largest, best });
  });
  return out;
}

/**
 * Whether the search may stop after the epochs seen, given p at the end of each epoch (oldest
 * first): the argmax of every node is the same at the last `stableEpochs + 1` epoch ends and every
 * node's largest p is at least the threshold. Returns the reason to stop, or undefined.
 */
export function decisionStop(
  rule: DecisionRule,
  epochProbs: readonly (readonly (readonly number[])[])[],
): string | undefined {
  const need = rule.stableEpochs + 1;
  if (epochProbs.length < need) return undefined;
  const last = epochProbs[epochProbs.length - 1]!;
  if (last.length === 0 || undecidedNodes(last, rule.threshold).length > 0) return undefined;
  const ref = last.map(argmax).join(',');
  for (const probs of epochProbs.slice(-need)) if (probs.map(argmax).join(',') !== ref) return undefined;
  const lowest = Math.min(...last.map((p) => p[argmax(p)]!));
  return (
    `the decision is stable: ${rule.stableEpochs > 0 ? `the argmax of every node unchanged for ${rule.stableEpochs} epoch${rule.stableEpochs === 1 ? '' : 's'} and ` : ''}` +
    `every node's largest p at least ${rule.threshold} (lowest ${lowest.toFixed(3)})`
  );
}

/**
 * What the path check knows of each node: `conditional[n][i]` is the expected held-out loss with
 * node n held at candidate i and the other nodes drawn from p, over all `paths` paths.
 */
export interface PathEvidence {
  conditional: readonly (readonly number[])[];
  paths: number;
}

const argmin = (xs: readonly number[]) => xs.reduce((b, x, i) => (x < xs[b]! ? i : b), 0);

/**
 * The one-line warning for a search that ended undecided (some node's largest p below the
 * threshold), naming each such node, its largest p and the candidate holding it; undefined when
 * every node decided. `candidates[n]` names node n's candidates. With the path check's `evidence`,
 * each node also says which candidate the held-out loss of all paths favours, and by how much: a
 * near tie, or a preference the estimator did not follow.
 */
export function undecidedWarning(
  probs: readonly (readonly number[])[],
  candidates: readonly (readonly string[])[],
  threshold: number,
  evidence?: PathEvidence,
): string | undefined {
  const nodes = undecidedNodes(probs, threshold);
  if (nodes.length === 0) return undefined;
  const list = nodes
    .map((u) => {
      const k = probs[u.node]!.length;
      const name = (c: number) => candidates[u.node]?.[c] ?? `candidate ${c}`;
      const cond = evidence?.conditional[u.node];
      const lower = cond && argmin(cond);
      const held =
        cond && lower !== undefined
          ? `; over all ${evidence.paths} paths the held-out loss is lowest with ${name(lower)}, ` +
            `${cond.map((l, c) => `${l.toFixed(2)} with ${name(c)}`).join(' and ')}`
          : '';
      return `node ${u.node} (largest p ${u.largest.toFixed(3)} for ${name(u.best)}; uniform ${(1 / k).toFixed(3)}${held})`;
    })
    .join(', ');
  return (
    `the search did not decide: ${list} ${nodes.length === 1 ? 'is' : 'are'} below p ${threshold}, ` +
    `so ${nodes.length === 1 ? 'that op of the derived architecture is' : 'those ops of the derived architecture are'} close to a coin flip ` +
    (evidence
      ? '(OUT/search/paths.json ranks every path by held-out loss)'
      : '(search longer or with a larger architecture learning rate)')
  );
}
