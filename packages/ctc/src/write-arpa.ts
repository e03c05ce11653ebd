// Writes a back-off n-gram model in the ARPA format that parseArpa / loadArpa read (SRILM's
// ngram-format(5)); log10(0) is written as -99, SRILM's convention.
import { rename, writeFile } from 'node:fs/promises';
import type { NgramTable } from './arpa-model';

const ZERO_LOG10 = -99;

/** Formats a log10 value: -Infinity as -99, others with 8 significant digits. */
function formatLog10(x: number): string {
  if (x === Number.NEGATIVE_INFINITY || x < ZERO_LOG10) return String(ZERO_LOG10);
  if (Object.is(x, -0) || x === 0) return '0';
  return String(Number(x.toPrecision(8)));
}

/** The ARPA text of a model given by its n-gram tables (unigrams first), in a stable order. */
export function formatArpa(model: { readonly ngrams: readonly NgramTable[] }): string {
  const { ngrams } = model;
  const out: string[] = ['', '\\data\\'];
  ngrams.forEach((t, n) => {
    out.push(`ngram ${n + 1}=${t.size}`);
  });
  ngrams.forEach((t, n) => {
    out.push('', `\\${n + 1}-grams:`);
    const keys = [...t.keys()].sort();
    for (const key of keys) {
      const { logProb10, backoff10 } = t.get(key)!;
      if (Number.isNaN(logProb10) || Number.isNaN(backoff10) || logProb10 > 0) {
        throw new Error(`formatArpa: the ${n + 1}-gram "${key}" has log10 probability ${logProb10}`);
      }
      const words = key.split(' ').join('\t');
      const bow = n + 1 < ngrams.length && backoff10 !== 0 ? `\t${formatLog10(backoff10)}` : '';
      out.push(`${formatLog10(logProb10)}\t${words}${bow}`);
    }
  });
  out.push('', '\\end\\', '');
  return out.join('\n');
}

/**
 * Writes a model (an {@link ArpaModel} or anything with its `ngrams` tables) to `path` as an ARPA
 * file, atomically (a temporary file renamed over the target).
 */
export async function writeArpa(
  model: { readonly ngrams: readonly NgramTable[] },
  path: string,
): Promise<void> {
  const text = formatArpa(model);
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}
