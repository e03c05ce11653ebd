// Test-only helpers: fixture paths and a reader for the uncompressed binary Kaldi matrices
// (`FM `/`DM `) the Kaldi fixtures hold. Not exported from the package.
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../../test/fixtures';

/** Kaldi's fixture folder (written by real Kaldi binaries). */
export const kaldiFixtures = fixturePath('kaldi', 'kaldi');

/** A matrix read from a fixture. */
export interface FixtureMatrix {
  rows: number;
  cols: number;
  data: Float32Array | Float64Array;
}

/** Reads every `key -> FM/DM matrix` entry of a binary ark (no compression, no vectors). */
export function readFixtureArk(file: string): Map<string, FixtureMatrix> {
  const buf = readFileSync(file);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Map<string, FixtureMatrix>();
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    const key = buf.toString('latin1', pos, space);
    pos = space + 1;
    if (buf[pos] !== 0 || buf[pos + 1] !== 0x42) throw new Error(`${file}: ${key}: not binary`);
    const type = buf.toString('latin1', pos + 2, pos + 5);
    if (type !== 'FM ' && type !== 'DM ') throw new Error(`${file}: ${key}: unsupported type ${type}`);
    const rows = view.getInt32(pos + 6, true);
    const cols = view.getInt32(pos + 11, true);
    pos += 15;
    const width = type === 'FM ' ? 4 : 8;
    const data = type === 'FM ' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
    for (let i = 0; i < rows * cols; i++, pos += width) {
      data[i] = width === 4 ? view.getFloat32(pos, true) : view.getFloat64(pos, true);
    }
    out.set(key, { rows, cols, data });
  }
  return out;
}

/** Parses a Kaldi command line of `--name=value` options into camelCase feature options. */
export function parseKaldiOptions(line: string): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  for (const tok of line.trim().split(/\s+/)) {
    const m = /^--([a-z-]+)=(.*)$/.exec(tok);
    if (!m) continue;
    const name = m[1]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const v = m[2]!;
    out[name === 'preemphasisCoefficient' ? 'preemphCoeff' : name] =
      v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  }
  return out;
}
