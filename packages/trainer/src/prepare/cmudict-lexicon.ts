// The CMU Pronouncing Dictionary (npm `cmu-pronouncing-dictionary`, cmudict data, BSD-style) as a
// lang/ dir in the layout of the bundled corpus and Kaldi's egs/wsj/s5/local/wsj_prepare_dict.sh:
// upper-case words, stress digits removed (39 phones), `(N)` variant suffixes dropped, `!SIL SIL`.
import { compareC } from '@stnas/data-wsj';

/** The 39 CMUdict phones without stress. */
export const CMU_PHONES: readonly string[] =
  'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(
    ' ',
  );

/**
 * Every CMUdict word as lexicon lines `WORD P1 P2 ...` (stress removed, duplicate pronunciations
 * merged, a word's pronunciations in dictionary order, words in C order), plus `!SIL SIL`.
 */
export async function cmudictLexiconLines(): Promise<string[]> {
  const { dictionary } = await import('cmu-pronouncing-dictionary');
  const byWord = new Map<string, string[]>();
  for (const [entry, pron] of Object.entries(dictionary)) {
    const word = entry.replace(/\(\d+\)$/, '').toUpperCase();
    // a few entries carry a '# comment' after the phones
    const phones = pron
      .replace(/#.*$/, '')
      .trim()
      .split(/\s+/)
      .map((p) => p.replace(/[0-2]$/, ''));
    for (const p of phones)
      if (!CMU_PHONES.includes(p))
        throw new Error(`cmu-pronouncing-dictionary: ${entry}: unknown phone ${p}`);
    const line = `${word} ${phones.join(' ')}`;
    const list = byWord.get(word);
    if (!list) byWord.set(word, [line]);
    else if (!list.includes(line)) list.push(line);
  }
  const words = [...byWord.keys()].sort(compareC);
  return ['!SIL SIL', ...words.flatMap((w) => byWord.get(w)!)];
}
