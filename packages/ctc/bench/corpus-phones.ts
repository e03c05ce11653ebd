// The bundled corpus's transcripts as phone-id sequences, for the benchmarks that estimate a phone
// LM from them (packages/corpus/data/<dir>/text through lang/lexicon.txt and lang/units.txt).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../corpus/data');

/** Phone-id sequences of a data dir's transcripts (first pronunciation of each word). */
export function phoneSequences(dir: string): number[][] {
  const units = new Map<string, number>();
  for (const line of readFileSync(path.join(data, 'lang/units.txt'), 'utf8').split('\n')) {
    const [u, id] = line.trim().split(/\s+/);
    if (u && id) units.set(u, Number(id));
  }
  const lexicon = new Map<string, number[]>();
  readFileSync(path.join(data, 'lang/lexicon.txt'), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const [w, ...phones] = line.trim().split(/\s+/);
      if (!w || lexicon.has(w)) return;
      lexicon.set(
        w,
        phones.map((p) => {
          const id = units.get(p);
          if (id === undefined) throw new Error(`lang/lexicon.txt:${i + 1}: phone ${p} is not in units.txt`);
          return id;
        }),
      );
    });
  return readFileSync(path.join(data, dir, 'text'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) =>
      line
        .trim()
        .split(/\s+/)
        .slice(1)
        .flatMap((w) => {
          const p = lexicon.get(w);
          if (!p) throw new Error(`${dir}/text:${i + 1}: word ${w} is not in lang/lexicon.txt`);
          return p;
        }),
    );
}
