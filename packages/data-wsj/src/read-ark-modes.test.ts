// readArk's payload modes: the default (owned data carved from slabs) and `reuse: true` (views valid
// until the next iteration) must give exactly the values the arks hold, on Kaldi-written fixtures
// and on a synthetic ark large enough to span many slabs, with every payload alignment.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferReader, SLAB_MIN_PAYLOAD, SLAB_SIZE } from './byte-reader.ts';
import { KaldiFormatError } from './kaldi-format-error.ts';
import { readArk, readArkFrom } from './read-ark.ts';
import { mulberry32 } from './seeded-random.ts';
import { KALDI, KIO, readAll } from './test-fixtures.ts';
import { type ArkEntry, isMatrix, type KaldiValue } from './types.ts';
import { writeArk } from './write-ark.ts';

const M = path.join(KALDI, 'matrices');
const V = path.join(KALDI, 'vectors');

/** Bytes of a value's data, for bit-exact comparison. */
function bytesOf(v: KaldiValue): Buffer {
  const d = v instanceof Int32Array ? v : v.data;
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

/** A deep, owned snapshot of an entry (its data copied), taken while a reuse-mode view is valid. */
function snapshot(e: ArkEntry): { key: string; kind: string; shape: number[]; bytes: Buffer } {
  const v = e.value;
  const kind = v instanceof Int32Array ? 'Int32Array' : v.data.constructor.name;
  const shape = isMatrix(v) ? [v.rows, v.cols] : [v instanceof Int32Array ? v.length : v.data.length];
  return { key: e.key, kind, shape, bytes: Buffer.from(bytesOf(v)) };
}

const fixtures = [
  path.join(M, 'mats.ark'),
  path.join(M, 'empty.ark'),
  path.join(M, 'mats.cm1.ark'),
  path.join(M, 'mats.cm3.ark'),
  path.join(M, 'mats.txt'),
  path.join(V, 'fvec.ark'),
  path.join(V, 'ivec.ark'),
  path.join(KIO, 'ali.ark'),
  path.join(KIO, 'conf.ark'),
  path.join(KIO, 'feats.ark'),
  path.join(KIO, 'feats_compressed.ark'),
  path.join(KALDI, 'datadir/fbank/cmvn.ark'),
];

describe('readArk reuse mode on Kaldi-written fixtures', () => {
  it.each(fixtures.map((f) => [path.basename(f), f]))(
    '%s: same keys, types, shapes and bits as the default mode',
    async (_n, f) => {
      const owned = (await readAll(f)).map(snapshot);
      const streamed: ReturnType<typeof snapshot>[] = [];
      for await (const e of readArk(f, { reuse: true })) streamed.push(snapshot(e));
      expect(owned.length).toBeGreaterThan(0);
      expect(streamed).toEqual(owned);
    },
  );
});

describe('a synthetic ark spanning many slabs (every key length, FM/DM/FV/DV, one payload > a slab)', () => {
  let dir: string;
  let ark: string;
  let written: ArkEntry[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'data-wsj-modes-'));
    ark = path.join(dir, 'big.ark');
    const rand = mulberry32(7);
    written = [];
    for (let i = 0; i < 64; i++) {
      // Key lengths 1..11 move every payload's file offset through all residues mod 4 and mod 8.
      const key = `${'k'.repeat(1 + (i % 11))}${i}`;
      const big = i === 40; // 1100 x 1000 float32 = 4.4 MB: larger than one slab
      const kind = i % 4;
      const n = big ? 1100 * 1000 : kind === 2 || kind === 3 ? 1 + Math.floor(rand() * 300) : 0;
      let value: KaldiValue;
      if (big || kind === 0) {
        const rows = big ? 1100 : 100 + Math.floor(rand() * 1700);
        const cols = big ? 1000 : 80;
        const data = new Float32Array(rows * cols).map(() => rand() * 20 - 10);
        value = { rows, cols, data };
      } else if (kind === 1) {
        const rows = 1 + Math.floor(rand() * 400);
        value = { rows, cols: 13, data: new Float64Array(rows * 13).map(() => rand() * 2e6 - 1e6) };
      } else if (kind === 2) {
        value = { data: new Float32Array(n).map(() => rand() - 0.5) };
      } else {
        value = { data: new Float64Array(n).map(() => rand() * 1e-3) };
      }
      written.push({ key, value });
    }
    written.push({ key: 'ali', value: Int32Array.from({ length: 77 }, (_, j) => j * 3 - 5) });
    await writeArk(ark, written, { scp: false });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is larger than two slabs, so the reader refills many times', () => {
    expect(readFileSync(ark).length).toBeGreaterThan(2 * SLAB_SIZE);
  });

  it('default mode: every value, kept until the end, equals what was written (views stay valid)', async () => {
    const got = await readAll(ark);
    expect(got.map((e) => e.key)).toEqual(written.map((e) => e.key));
    for (let i = 0; i < got.length; i++) {
      const g = got[i]!.value;
      const w = written[i]!.value;
      expect(g.constructor).toBe(w.constructor);
      if (!(g instanceof Int32Array) && !(w instanceof Int32Array)) {
        expect(g.data.constructor).toBe(w.data.constructor);
        expect(g.data.byteOffset % g.data.BYTES_PER_ELEMENT).toBe(0);
      }
      expect(bytesOf(g).equals(bytesOf(w)), `entry ${i} (${got[i]!.key})`).toBe(true);
    }
  });

  it('default mode: payloads share slabs but never overlap, so writing one leaves the others intact', async () => {
    const got = (await readAll(ark)).filter((e) => !(e.value instanceof Int32Array));
    const buffers = new Set(got.map((e) => bytesOf(e.value).buffer));
    const big = got.filter((e) => bytesOf(e.value).byteLength >= SLAB_MIN_PAYLOAD);
    expect(buffers.size).toBeLessThan(big.length); // slabs are really shared
    for (const [i, e] of got.entries()) bytesOf(e.value).fill(i);
    for (const [i, e] of got.entries()) expect(bytesOf(e.value).every((b) => b === i)).toBe(true);
  });

  it('reuse mode: each value equals what was written while it is current', async () => {
    const keys: string[] = [];
    let i = 0;
    for await (const e of readArk(`ark:${ark}`, { reuse: true })) {
      keys.push(e.key);
      expect(bytesOf(e.value).equals(bytesOf(written[i]!.value)), `entry ${i} (${e.key})`).toBe(true);
      i++;
    }
    expect(keys).toEqual(written.map((e) => e.key));
  });

  it('reuse mode: a view kept past its iteration is overwritten (documented invalid), so copy before next()', async () => {
    const kept: ArkEntry[] = [];
    for await (const e of readArk(ark, { reuse: true })) kept.push(e);
    const stale = kept.filter((e, i) => !bytesOf(e.value).equals(bytesOf(written[i]!.value)));
    expect(stale.length).toBeGreaterThan(0);
    // Only binary float payloads are views; the int32 vector is owned in every mode.
    expect(stale.every((e) => !(e.value instanceof Int32Array))).toBe(true);
  });

  it('reuse mode through a pipe gives the same values', async () => {
    let i = 0;
    for await (const e of readArk(`cat ${ark} |`, { reuse: true, allowPipes: true })) {
      expect(bytesOf(e.value).equals(bytesOf(written[i]!.value)), `entry ${i}`).toBe(true);
      i++;
    }
    expect(i).toBe(written.length);
  });

  it('caller-owned bytes are never aligned in place: the input buffer is left untouched', async () => {
    const bytes = readFileSync(ark);
    const before = Buffer.from(bytes);
    for (const reuse of [false, true]) {
      let i = 0;
      for await (const e of readArkFrom(bufferReader(bytes, 'mem.ark'), { reuse })) {
        expect(bytesOf(e.value).equals(bytesOf(written[i]!.value))).toBe(true);
        i++;
      }
      expect(i).toBe(written.length);
    }
    expect(bytes.equals(before)).toBe(true);
  });

  it.each([
    ['default', false],
    ['reuse', true],
  ])('%s mode: a truncated file fails naming the file, the offset and the payload', async (_m, reuse) => {
    // Cut the file 100 kB into the 1100x1000 payload of entry 40.
    const cut = path.join(dir, `cut-${reuse}.ark`);
    const full = readFileSync(ark);
    const at = full.indexOf(Buffer.from(`${written[40]!.key} \0BFM `)) + 100_000;
    writeFileSync(cut, full.subarray(0, at));
    const run = async () => {
      for await (const _e of readArk(cut, { reuse })) {
        // drain
      }
    };
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KaldiFormatError);
    const payloadAt = full.indexOf(Buffer.from(`${written[40]!.key} \0BFM `)) + written[40]!.key.length + 16;
    expect((err as Error).message).toBe(
      `${cut}: byte ${payloadAt}: expected 1100x1000 float32 values (4400000 bytes), found only ${at - payloadAt} bytes left in the file`,
    );
  });
});
