// Kaldi text tables (`text`, `utt2spk`, `spk2utt`, `wav.scp`, `utt2num_frames`, ...): one
// `key rest` per line, keys unique; Kaldi writes some with a trailing space, which is ignored.
import { readFile } from 'node:fs/promises';

/** One line of a text table. */
export interface TableLine {
  key: string;
  value: string;
  /** 1-based line number. */
  line: number;
}

/** Parses a text table, rejecting empty keys and duplicates with the file and line named. */
export function parseTable(
  text: string,
  file: string,
  opts: { allowEmptyValue?: boolean } = {},
): TableLine[] {
  const out: TableLine[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.replace(/\r$/, '');
    if (l.trim() === '') continue;
    const m = /^(\S+)(?:[ \t]+(.*?))?[ \t]*$/.exec(l);
    if (!m || /^\s/.test(l))
      throw new Error(`${file}:${i + 1}: expected "key value", found ${JSON.stringify(l.slice(0, 80))}`);
    const key = m[1]!;
    const value = m[2] ?? '';
    if (value === '' && !opts.allowEmptyValue)
      throw new Error(`${file}:${i + 1}: key ${JSON.stringify(key)} has no value`);
    const prev = seen.get(key);
    if (prev !== undefined)
      throw new Error(`${file}:${i + 1}: duplicate key ${JSON.stringify(key)} (first on line ${prev})`);
    seen.set(key, i + 1);
    out.push({ key, value, line: i + 1 });
  }
  return out;
}

/** Reads a text table file. */
export async function readTable(
  file: string,
  opts: { allowEmptyValue?: boolean } = {},
): Promise<TableLine[]> {
  return parseTable(await readFile(file, 'utf8'), file, opts);
}

/** Byte-wise (C locale) string order, the order Kaldi's sorted tables need. */
export function compareC(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
