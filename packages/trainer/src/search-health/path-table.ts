// Exhaustive check of a small search space: the loss of every path of the supernet, the rank of the
// derived architecture among them, and the exact gradient of the expected loss the search minimises.
// Pure functions of the candidate counts, p and the path losses.

/** Spaces of at most this many paths get the search's path check by default (the demo's has 16). */
export const DEFAULT_PATH_CHECK = 64;

/** The loss of one path: one candidate index per searchable node. */
export interface PathLoss {
  choices: readonly number[];
  loss: number;
}

/** How many paths a space with these candidate counts per node holds. */
export function countPaths(counts: readonly number[]): number {
  return counts.reduce((n, k) => n * k, 1);
}

/**
 * Every path of a space with `counts[n]` candidates at node n, the last node varying fastest
 * ([0,0], [0,1], [1,0], [1,1] for two nodes of two), or undefined when there are more than `max`.
 */
export function enumeratePaths(counts: readonly number[], max: number): number[][] | undefined {
  for (const k of counts) {
    if (!Number.isInteger(k) || k < 1)
      throw new Error(`enumeratePaths: candidate counts must be integers >= 1, got ${k}`);
  }
  if (countPaths(counts) > max) return undefined;
  let paths: number[][] = [[]];
  for (const k of counts) paths = paths.flatMap((p) => Array.from({ length: k }, (_, c) => [...p, c]));
  return paths;
}

const key = (c: readonly number[]) => c.join(',');

/** The table as a map from path to loss, checked to hold every path of the space exactly once. */
function lossMap(probs: readonly (readonly number[])[], table: readonly PathLoss[]): Map<string, number> {
  const counts = probs.map((p) => p.length);
  const want = countPaths(counts);
  const m = new Map<string, number>();
  for (const r of table) {
    if (
      r.choices.length !== counts.length ||
      r.choices.some((c, n) => !(Number.isInteger(c) && c >= 0 && c < counts[n]!))
    )
      throw new Error(
        `path [${r.choices.join(', ')}] does not fit a space of [${counts.join(', ')}] candidates`,
      );
    if (m.has(key(r.choices))) throw new Error(`path [${r.choices.join(', ')}] appears twice`);
    m.set(key(r.choices), r.loss);
  }
  if (m.size !== want) throw new Error(`the table holds ${m.size} paths; the space has ${want}`);
  return m;
}

/** The probability of a path when every node samples independently from its p. */
function pathProb(probs: readonly (readonly number[])[], choices: readonly number[], skip = -1): number {
  let w = 1;
  choices.forEach((c, n) => {
    if (n !== skip) w *= probs[n]![c]!;
  });
  return w;
}

/** E_{path ~ p}[loss]: the objective the search minimises (SNAS, ST-NAS), over the whole table. */
export function expectedLoss(probs: readonly (readonly number[])[], table: readonly PathLoss[]): number {
  lossMap(probs, table);
  return table.reduce((s, r) => s + pathProb(probs, r.choices) * r.loss, 0);
}

/**
 * The expected loss with node n held at each of its candidates, the other nodes sampled from p:
 * `out[n][i]` = E[loss | node n = i] (= dE/dp_{n,i}).
 */
export function conditionalLosses(
  probs: readonly (readonly number[])[],
  table: readonly PathLoss[],
): number[][] {
  lossMap(probs, table);
  const out = probs.map((p) => p.map(() => 0));
  for (const r of table) {
    r.choices.forEach((c, n) => {
      out[n]![c]! += pathProb(probs, r.choices, n) * r.loss;
    });
  }
  return out;
}

/**
 * The exact gradient of the expected loss with respect to the architecture logits (p = softmax(a)
 * per node): dE/da_{n,j} = p_{n,j} (E[loss | n = j] - sum_i p_{n,i} E[loss | n = i]). What an
 * unbiased estimator (REINFORCE) estimates, and what the straight-through gradient approximates.
 */
export function expectedLossGradient(
  probs: readonly (readonly number[])[],
  table: readonly PathLoss[],
): number[][] {
  const cond = conditionalLosses(probs, table);
  return probs.map((p, n) => {
    const mean = p.reduce((s, q, i) => s + q * cond[n]![i]!, 0);
    return p.map((q, j) => q * (cond[n]![j]! - mean));
  });
}

/** 1-based rank of a path by loss in the table (ties share the better rank). */
export function pathRank(table: readonly PathLoss[], choices: readonly number[]): number {
  const own = table.find((r) => key(r.choices) === key(choices));
  if (!own) throw new Error(`path [${choices.join(', ')}] is not in the table`);
  return 1 + table.filter((r) => r.loss < own.loss).length;
}

/** The path check of a search: where the derived architecture ranks among all paths. */
export interface PathCheck {
  /** The split the paths were evaluated on and its size. */
  split: 'held-out';
  utterances: number;
  /** How many paths the space has; `rank` is among these. */
  paths: number;
  /** 1-based rank of the derived architecture by held-out loss (ties share the better rank). */
  rank: number;
  /** The derived architecture's held-out loss. */
  loss: number;
  /** The ops of the path with the lowest held-out loss, and that loss. */
  best: string[];
  bestLoss: number;
}

/** One line on where the derived architecture ranks among all paths. */
export function pathCheckLine(c: PathCheck): string {
  return (
    `the derived architecture ranks ${c.rank} of ${c.paths} paths by ${c.split} loss (${c.loss.toFixed(3)}; ` +
    `${c.rank === 1 ? 'the best' : `best ${c.best.join(' ')} at ${c.bestLoss.toFixed(3)}`}, ${c.utterances} utterances)`
  );
}
