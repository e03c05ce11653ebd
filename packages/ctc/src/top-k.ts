// Beam pruning for the decoders.

/** Indices of the `k` largest finite `scores[0..n)`, best first (quickselect, then a sort of k). */
export function topK(scores: Float64Array, n: number, k: number, work: Int32Array): number[] {
  let m = 0;
  for (let i = 0; i < n; i++) if (scores[i]! > Number.NEGATIVE_INFINITY) work[m++] = i;
  if (m > k) {
    // Hoare quickselect: move the k largest to work[0..k).
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const pivot = scores[work[(lo + hi) >> 1]!]!;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (scores[work[i]!]! > pivot) i++;
        while (scores[work[j]!]! < pivot) j--;
        if (i <= j) {
          const tmp = work[i]!;
          work[i] = work[j]!;
          work[j] = tmp;
          i++;
          j--;
        }
      }
      if (k - 1 <= j) hi = j;
      else if (k - 1 >= i) lo = i;
      else break;
    }
    m = k;
  }
  const out = Array.from(work.subarray(0, m));
  out.sort((x, y) => scores[y]! - scores[x]! || x - y);
  return out;
}
