// Levenshtein alignment of a reference and a hypothesis, scored as NIST sclite scores WER/PER:
// errors = substitutions + deletions + insertions over the reference length, every edit costing 1.

/** Edit counts of one alignment or of a whole test set. */
export interface ErrorCounts {
  readonly errors: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  /** Tokens in the reference(s). */
  readonly refLength: number;
  /** `errors / refLength` (0 for an empty reference with no errors, Infinity with errors). */
  readonly rate: number;
}

/** One step of an alignment: correct, substitution, deletion (ref only) or insertion (hyp only). */
export interface AlignmentStep<T> {
  readonly op: 'C' | 'S' | 'D' | 'I';
  readonly ref?: T;
  readonly hyp?: T;
}

/** Edit counts and the alignment of one utterance. */
export interface EditResult<T> extends ErrorCounts {
  readonly alignment: AlignmentStep<T>[];
}

const rateOf = (errors: number, refLength: number) =>
  refLength > 0 ? errors / refLength : errors > 0 ? Number.POSITIVE_INFINITY : 0;

/**
 * Minimum edit distance between `ref` and `hyp` with its alignment. Among alignments with the
 * fewest errors, the backtrace prefers a match or substitution, then a deletion, then an insertion.
 */
export function editDistance<T>(ref: ArrayLike<T>, hyp: ArrayLike<T>): EditResult<T> {
  const n = ref.length;
  const m = hyp.length;
  const w = m + 1;
  const d = new Int32Array((n + 1) * w);
  for (let j = 0; j <= m; j++) d[j] = j;
  for (let i = 1; i <= n; i++) {
    d[i * w] = i;
    for (let j = 1; j <= m; j++) {
      const diag = d[(i - 1) * w + j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      const del = d[(i - 1) * w + j]! + 1;
      const ins = d[i * w + j - 1]! + 1;
      d[i * w + j] = Math.min(diag, del, ins);
    }
  }
  const alignment: AlignmentStep<T>[] = [];
  let s = 0;
  let del = 0;
  let ins = 0;
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = d[i * w + j]!;
    if (i > 0 && j > 0 && here === d[(i - 1) * w + j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1)) {
      const same = ref[i - 1] === hyp[j - 1];
      if (!same) s++;
      alignment.push({ op: same ? 'C' : 'S', ref: ref[i - 1], hyp: hyp[j - 1] });
      i--;
      j--;
    } else if (i > 0 && here === d[(i - 1) * w + j]! + 1) {
      del++;
      alignment.push({ op: 'D', ref: ref[i - 1] });
      i--;
    } else {
      ins++;
      alignment.push({ op: 'I', hyp: hyp[j - 1] });
      j--;
    }
  }
  alignment.reverse();
  const errors = d[n * w + m]!;
  return {
    errors,
    substitutions: s,
    deletions: del,
    insertions: ins,
    refLength: n,
    rate: rateOf(errors, n),
    alignment,
  };
}

/** Corpus error rate (WER, PER, CER: whatever the tokens are) summed over utterance pairs. */
export function errorRate<T>(
  refs: ReadonlyArray<ArrayLike<T>>,
  hyps: ReadonlyArray<ArrayLike<T>>,
): ErrorCounts {
  if (refs.length !== hyps.length) {
    throw new Error(`errorRate: refs has ${refs.length} utterances but hyps has ${hyps.length}`);
  }
  let s = 0;
  let del = 0;
  let ins = 0;
  let refLength = 0;
  for (let k = 0; k < refs.length; k++) {
    const r = editDistance(refs[k]!, hyps[k]!);
    s += r.substitutions;
    del += r.deletions;
    ins += r.insertions;
    refLength += r.refLength;
  }
  const errors = s + del + ins;
  return {
    errors,
    substitutions: s,
    deletions: del,
    insertions: ins,
    refLength,
    rate: rateOf(errors, refLength),
  };
}

/**
 * An sclite-style printout of one alignment: `REF:` and `HYP:` lines with columns padded to the
 * same width, `***` for the missing side of an insertion or deletion, errors in upper case, and an
 * `EVAL:` line marking S, D and I.
 */
export function formatAlignment<T>(alignment: ReadonlyArray<AlignmentStep<T>>): string {
  const refCells: string[] = [];
  const hypCells: string[] = [];
  const evalCells: string[] = [];
  for (const step of alignment) {
    const err = step.op !== 'C';
    const show = (x: T | undefined) =>
      x === undefined ? '***' : err ? String(x).toUpperCase() : String(x).toLowerCase();
    const r = show(step.ref);
    const h = show(step.hyp);
    const width = Math.max(r.length, h.length, 1);
    refCells.push(r.padEnd(width));
    hypCells.push(h.padEnd(width));
    evalCells.push((err ? step.op : '').padEnd(width));
  }
  return [`REF:  ${refCells.join(' ')}`, `HYP:  ${hypCells.join(' ')}`, `EVAL: ${evalCells.join(' ')}`]
    .map((l) => l.trimEnd())
    .join('\n');
}

/**
 * Printouts of the `count` utterances with the most errors (ties: higher rate, then input order),
 * each headed by its id and counts, for a scoring report.
 */
export function worstAlignments<T>(
  refs: ReadonlyArray<ArrayLike<T>>,
  hyps: ReadonlyArray<ArrayLike<T>>,
  options: { readonly count?: number; readonly ids?: readonly string[] } = {},
): string {
  if (refs.length !== hyps.length) {
    throw new Error(`worstAlignments: refs has ${refs.length} utterances but hyps has ${hyps.length}`);
  }
  const results = refs.map((r, k) => ({ k, res: editDistance(r, hyps[k]!) }));
  results.sort((a, b) => b.res.errors - a.res.errors || b.res.rate - a.res.rate || a.k - b.k);
  return results
    .slice(0, options.count ?? 10)
    .map(({ k, res }) => {
      const id = options.ids?.[k] ?? `utterance ${k}`;
      const head = `${id}: ${res.errors} errors / ${res.refLength} (S ${res.substitutions}, D ${res.deletions}, I ${res.insertions})`;
      return `${head}\n${formatAlignment(res.alignment)}`;
    })
    .join('\n\n');
}
