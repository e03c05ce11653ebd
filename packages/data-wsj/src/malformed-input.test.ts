// Bad input never crashes, hangs or allocates wildly: every failure is a KaldiFormatError naming
// the file, the byte offset and what was expected.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../../test/temp-dir.ts';
import { bufferReader } from './byte-reader.ts';
import { KaldiFormatError } from './kaldi-format-error.ts';
import { readArkFrom } from './read-ark.ts';
import { readMatrix } from './read-matrix.ts';
import { mulberry32 } from './seeded-random.ts';
import { KALDI, readAll } from './test-fixtures.ts';
import type { ArkEntry } from './types.ts';

const M = path.join(KALDI, 'matrices');
const V = path.join(KALDI, 'vectors');

async function parse(bytes: Uint8Array, name = 'mem.ark'): Promise<ArkEntry[]> {
  const out: ArkEntry[] = [];
  for await (const e of readArkFrom(bufferReader(bytes, name))) out.push(e);
  return out;
}

/** Offsets where each entry's key starts, found from the keys (cross-checked against scp offsets). */
function keyStarts(buf: Buffer, keys: string[]): number[] {
  let from = 0;
  return keys.map((k, i) => {
    const at = i === 0 ? 0 : buf.indexOf(Buffer.from(`${k} `), from);
    from = at + 1;
    return at;
  });
}

const files = [
  ['mats.ark', path.join(M, 'mats.ark'), path.join(M, 'mats.scp')],
  ['mats.cm1.ark', path.join(M, 'mats.cm1.ark'), path.join(M, 'mats.cm1.scp')],
  ['mats.cm2.ark', path.join(M, 'mats.cm2.ark'), path.join(M, 'mats.cm2.scp')],
  ['mats.cm3.ark', path.join(M, 'mats.cm3.ark'), path.join(M, 'mats.cm3.scp')],
  ['mats.cm5.ark', path.join(M, 'mats.cm5.ark'), path.join(M, 'mats.cm5.scp')],
  ['ivec.ark', path.join(V, 'ivec.ark'), path.join(V, 'ivec.scp')],
  ['fvec.ark', path.join(V, 'fvec.ark'), path.join(V, 'fvec.scp')],
  ['cmvn.ark', path.join(KALDI, 'datadir/fbank/cmvn.ark'), path.join(KALDI, 'datadir/cmvn.scp')],
  ['ivec.txt', path.join(V, 'ivec.txt'), undefined],
  ['fvec.txt', path.join(V, 'fvec.txt'), undefined],
  ['cmvn.txt', path.join(KALDI, 'datadir/fbank/cmvn.txt'), undefined],
] as const;

describe('truncation at every byte', () => {
  for (const [name, file, scp] of files) {
    it(`${name}: an error naming the file and offset, or exactly the complete entries before the cut`, async () => {
      const full = readFileSync(file);
      const all = await readAll(file);
      const starts = keyStarts(
        full,
        all.map((e) => e.key),
      );
      if (scp) {
        // The key starts agree with Kaldi's scp offsets (offset - key - space).
        const offs = readFileSync(scp, 'utf8')
          .trim()
          .split('\n')
          .map((l) => Number(l.split(':').at(-1)));
        expect(starts).toEqual(offs.map((o, i) => o - Buffer.byteLength(all[i]!.key) - 1));
      }
      const ends = [...starts.slice(1), full.length];
      let errors = 0;
      for (let cut = 0; cut < full.length; cut++) {
        let got: ArkEntry[];
        try {
          got = await parse(full.subarray(0, cut), name);
        } catch (e) {
          expect(e).toBeInstanceOf(KaldiFormatError);
          const err = e as KaldiFormatError;
          expect(err.message.startsWith(`${name}: byte `)).toBe(true);
          expect(err.offset).toBeLessThanOrEqual(cut);
          expect(err.message).toMatch(/expected .+/);
          errors++;
          continue;
        }
        const k = got.length;
        expect(got).toEqual(all.slice(0, k));
        // What follows the last complete entry is at most its trailing whitespace.
        const tail = full.subarray(k ? ends[k - 1]! : 0, cut).toString('latin1');
        expect(tail.trim()).toBe('');
        if (k > 0) expect(cut).toBeGreaterThanOrEqual(ends[k - 1]! - 1);
      }
      expect(errors).toBeGreaterThan(full.length - 3 * all.length);
    });
  }
});

describe('corrupted headers', () => {
  it('flipping any header byte of every entry of mats.ark gives an error or a parse, never a crash', async () => {
    const full = readFileSync(path.join(M, 'mats.ark'));
    const all = await readAll(path.join(M, 'mats.ark'));
    const starts = keyStarts(
      full,
      all.map((e) => e.key),
    );
    let errors = 0;
    for (const s of starts) {
      const headerEnd = full.indexOf(0x42, s) + 1 + 3 + 10; // \0B, "FM ", \x04 rows \x04 cols
      for (let p = s; p < headerEnd; p++) {
        const bad = Buffer.from(full);
        bad[p] = bad[p]! ^ 0xff;
        try {
          await parse(bad, 'flipped.ark');
        } catch (e) {
          expect(e).toBeInstanceOf(KaldiFormatError);
          expect((e as Error).message).toMatch(/^flipped\.ark: byte \d+: expected /);
          errors++;
        }
      }
    }
    expect(errors).toBeGreaterThan(50);
  });

  it('dims whose product exceeds the file fail before allocating', async () => {
    const full = Buffer.from(readFileSync(path.join(M, 'mats.ark')));
    full.writeInt32LE(0x7fffffff, 12 + 2 + 3 + 1); // rows of gauss_10x20
    full.writeInt32LE(0x7fffffff, 12 + 2 + 3 + 6); // cols
    const t0 = performance.now();
    await expect(parse(full, 'huge.ark')).rejects.toThrow(
      /^huge\.ark: byte 27: expected 2147483647x2147483647 float32 values \(\d+ bytes\), found only 6583 bytes left in the file$/,
    );
    expect(performance.now() - t0).toBeLessThan(1000);
    const cm = Buffer.from(readFileSync(path.join(M, 'mats.cm1.ark')));
    cm.writeInt32LE(1 << 30, 12 + 2 + 3 + 8); // rows in the CM header
    await expect(parse(cm, 'cm.ark')).rejects.toThrow(/cm\.ark: byte 33: expected 1073741824x20 CM payload/);
    const neg = Buffer.from(readFileSync(path.join(M, 'mats.ark')));
    neg.writeInt32LE(-5, 18);
    await expect(parse(neg, 'neg.ark')).rejects.toThrow(
      /neg\.ark: byte 17: expected a non-negative row count, found -5/,
    );
  });

  it('a key without a value, an unknown token, a missing space, a missing \\x04', async () => {
    const enc = (s: string) => Buffer.from(s, 'latin1');
    await expect(parse(enc('lonely'), 'a.ark')).rejects.toThrow(
      /^a\.ark: byte 0: expected a value after key "lonely", found end of input$/,
    );
    await expect(parse(enc('k '), 'a.ark')).rejects.toThrow(/expected a value after key "k"/);
    await expect(parse(enc('k \0BXM \x04'), 'b.ark')).rejects.toThrow(
      /^b\.ark: byte 4: expected a type token FM, DM, FV, DV, CM, CM2, CM3 or \\x04, found "XM"$/,
    );
    await expect(parse(enc('k\0BFM '), 'c.ark')).rejects.toThrow(
      /^c\.ark: byte 1: expected a space after key "k"/,
    );
    await expect(parse(enc('k \0BFM \x05\x01\0\0\0'), 'd.ark')).rejects.toThrow(
      /^d\.ark: byte 7: expected \\x04 \(size of an int32\) before rows/,
    );
    await expect(parse(enc('k [ 1 2\n 3 ]\n'), 'e.txt')).rejects.toThrow(
      /e\.txt: byte 2: expected 2 values in row 1 of the text matrix, found 1/,
    );
    await expect(parse(enc('k 1 2 x\n'), 'f.txt')).rejects.toThrow(
      /f\.txt: byte 2: expected an integer, found "x"/,
    );
  });

  it('an offset past the end of the file', async () => {
    const f = path.join(M, 'mats.ark');
    await expect(readMatrix(`${f}:99999`)).rejects.toThrow(
      new RegExp(`${f}: byte 99999: expected an offset within the file \\(size 6610 bytes\\)`),
    );
    await expect(readMatrix(`${f}:6610`)).rejects.toThrow(/byte 6610: expected a value/);
    // One byte off the \0B marker: read as text, so the complaint is about the text.
    await expect(readMatrix(`${f}:13`)).rejects.toThrow(/byte 13: expected an integer, found "BFM"/);
  });

  it('errors from files name the file path', async () => {
    const d = testTempDir('data-wsj-bad-');
    const f = path.join(d, 'trunc.ark');
    writeFileSync(f, readFileSync(path.join(M, 'mats.ark')).subarray(0, 500));
    await expect(readAll(f)).rejects.toThrow(
      new RegExp(`^${f}: byte 27: expected 10x20 float32 values \\(800 bytes\\), found only 473 bytes left`),
    );
  });
});

describe('large entries (read straight into the destination)', () => {
  it('a truncated 2.4 MB matrix in a file fails with the offset where the data ran out', async () => {
    const d = testTempDir('data-wsj-big-');
    const f = path.join(d, 'big.ark');
    const { writeArk } = await import('./write-ark.ts');
    const m = { rows: 15000, cols: 40, data: new Float32Array(600000).map((_, i) => i) };
    await writeArk(
      f,
      [
        { key: 'a', value: m },
        { key: 'b', value: m },
      ],
      { scp: false },
    );
    const full = readFileSync(f);
    expect(await readAll(f)).toEqual([
      { key: 'a', value: m },
      { key: 'b', value: m },
    ]);
    writeFileSync(f, full.subarray(0, full.length - 1000));
    await expect(readAll(f)).rejects.toThrow(
      new RegExp(
        `^${f}: byte ${2400017 + 17}: expected 15000x40 float32 values \\(2400000 bytes\\), found only 2399000 bytes left`,
      ),
    );
  });

  it('through a pipe, a header claiming 8 GB fails at the end of the data without allocating it', async () => {
    const d = testTempDir('data-wsj-pipe-big-');
    const f = path.join(d, 'liar.ark');
    const b = Buffer.from(readFileSync(path.join(M, 'mats.ark')));
    b.writeInt32LE(1 << 30, 18); // rows of gauss_10x20: 2^30 x 20 x 4 bytes
    writeFileSync(f, b);
    const before = process.memoryUsage().arrayBuffers;
    await expect(readAll(`cat ${f} |`, { allowPipes: true })).rejects.toThrow(
      /expected 1073741824x20 float32 values \(85899345920 bytes\), found end of input after 6583 bytes/,
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  });
});

describe('seeded fuzzing', () => {
  it('600 random mutations of binary and text arks: parse or KaldiFormatError, nothing else', async () => {
    const rand = mulberry32(20261128);
    const sources = files.map(([, f]) => readFileSync(f));
    let errs = 0;
    for (let it = 0; it < 600; it++) {
      const src = sources[it % sources.length]!;
      const b = Buffer.from(src);
      const kind = Math.floor(rand() * 4);
      const n = 1 + Math.floor(rand() * 8);
      let bytes: Buffer = b;
      if (kind === 0) for (let j = 0; j < n; j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      else if (kind === 1) {
        const at = Math.floor(rand() * b.length);
        bytes = Buffer.concat([b.subarray(0, at), b.subarray(at + n)]);
      } else if (kind === 2) {
        const at = Math.floor(rand() * b.length);
        const ins = Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
        bytes = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
      } else {
        // Plausible-looking huge integers where sizes live.
        for (let j = 0; j < n; j++) {
          const at = Math.floor(rand() * (b.length - 4));
          b.writeInt32LE(Math.floor(rand() * 2 ** 31) * (rand() < 0.5 ? 1 : -1), at);
        }
      }
      try {
        await parse(bytes, 'fuzz.ark');
      } catch (e) {
        if (!(e instanceof KaldiFormatError)) throw new Error(`iteration ${it} (kind ${kind}): ${String(e)}`);
        errs++;
      }
    }
    expect(errs).toBeGreaterThan(200);
  });
});
