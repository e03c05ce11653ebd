import { checkBlank, type LogProbsInput, readLogProbs } from './log-probs-input';

/** Options of {@link greedyDecode}. */
export interface GreedyDecodeOptions {
  /** Index of the blank class (default 0). */
  readonly blank?: number;
}

/**
 * Best-path decoding: the arg-max class of each frame, repeats collapsed, blanks removed.
 *
 * ```ts
 * greedyDecode({ data: Float32Array.from(lp), shape: [1, 5, 3] }, [5]); // [[1, 2]]
 * ```
 */
export function greedyDecode(
  logProbs: LogProbsInput,
  inputLengths: ArrayLike<number>,
  options: GreedyDecodeOptions = {},
): number[][] {
  const { data, batch, time, classes } = readLogProbs('greedyDecode', logProbs, inputLengths);
  const blank = options.blank ?? 0;
  checkBlank('greedyDecode', blank, classes);
  const out: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const seq: number[] = [];
    let prev = -1;
    for (let t = 0; t < inputLengths[b]!; t++) {
      const o = (b * time + t) * classes;
      let best = 0;
      for (let c = 1; c < classes; c++) if (data[o + c]! > data[o + best]!) best = c;
      if (best !== prev && best !== blank) seq.push(best);
      prev = best;
    }
    out.push(seq);
  }
  return out;
}
