// CMUdict lexicon and phone units in the layout of Kaldi egs/wsj/s5/local/wsj_prepare_dict.sh,
// with stress digits removed (39 phones) plus SIL, as the EESEN/ST-NAS phone recipes use.
import { dictionary } from 'cmu-pronouncing-dictionary';

/** The 39 CMU phones without stress. */
export const CMU_PHONES =
  'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(
    ' ',
  );

/** All stress-free pronunciations of `word` (lower case) in CMUdict, in dictionary order. */
export function pronunciations(word: string): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (let i = 0; ; i++) {
    const entry = dictionary[i === 0 ? word : `${word}(${i + 1})`];
    if (entry === undefined) {
      if (i === 0) break;
      if (i > 1) break; // variants are numbered (2), (3), …
      continue;
    }
    const phones = entry.split(' ').map((p) => p.replace(/[0-2]$/, ''));
    const key = phones.join(' ');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(phones);
    }
  }
  return out;
}

/** Lexicon lines (`WORD P1 P2 …`, upper case, C-sorted) for `words`, plus `!SIL SIL`; throws on OOV. */
export function lexiconLines(words: Iterable<string>): string[] {
  const lines: string[] = ['!SIL SIL'];
  const missing: string[] = [];
  for (const w of [...new Set(words)].sort()) {
    const prons = pronunciations(w.toLowerCase());
    if (prons.length === 0) missing.push(w);
    for (const p of prons) {
      for (const ph of p) if (!CMU_PHONES.includes(ph)) throw new Error(`lexicon: ${w}: unknown phone ${ph}`);
      lines.push(`${w.toUpperCase()} ${p.join(' ')}`);
    }
  }
  if (missing.length)
    throw new Error(`lexicon: ${missing.length} word(s) not in CMUdict: ${missing.join(', ')}`);
  return lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Units file lines: `<blk> 0`, then the 39 phones and SIL in C order numbered from 1. */
export function unitLines(): string[] {
  const units = [...CMU_PHONES, 'SIL'].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ['<blk> 0', ...units.map((u, i) => `${u} ${i + 1}`)];
}
