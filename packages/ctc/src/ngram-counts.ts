// N-gram counting shared by the LM estimators (estimatePhoneLm, estimateWordLm): every n-gram of
// the sentences padded with the ARPA sentence boundaries, counted per order.

/** The ARPA sentence-start token: a history, never predicted. */
export const BOS = '<s>';
/** The ARPA sentence-end token. */
export const EOS = '</s>';

/**
 * Counts every n-gram of order 1 to `order` in each sentence padded as `<s> ... </s>`:
 * `counts[n - 1]` maps the n words joined by spaces to how often they occur, in the order of their
 * first occurrence (which the estimators' sums and ARPA files follow, so keep it).
 */
export function countNgrams(sentences: Iterable<readonly string[]>, order: number): Map<string, number>[] {
  const counts: Map<string, number>[] = Array.from({ length: order }, () => new Map());
  for (const s of sentences) {
    const words = [BOS, ...s, EOS];
    for (let i = 0; i < words.length; i++) {
      for (let n = 1; n <= order && i + n <= words.length; n++) {
        const key = words.slice(i, i + n).join(' ');
        counts[n - 1]!.set(key, (counts[n - 1]!.get(key) ?? 0) + 1);
      }
    }
  }
  return counts;
}
