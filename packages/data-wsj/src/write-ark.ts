// Writes binary or text arks and the matching scp byte-for-byte as kaldi's `copy-feats
// ark:... ark,scp:x.ark,x.scp` does (kaldi-matrix.cc Write, compressed-matrix.cc Write,
// kaldi-table-inl.h TableWriterArchiveImpl), atomically: temp files first, then rename.
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type CompressOption, compress, compressionMethod, decompress } from './compressed-matrix.ts';
import { formatG } from './format-float.ts';
import { type ArkEntry, isMatrix, type KaldiValue, type Matrix } from './types.ts';

/** Options for {@link writeArk}. */
export interface WriteArkOptions {
  /** Write a text ark (`ark,t:`) instead of binary. */
  text?: boolean;
  /** Compress matrices: 'CM', 'CM2', 'CM3', 'auto' (CM above 8 rows, else CM2), or Kaldi's method 1..7. */
  compress?: CompressOption;
  /**
   * Where to write the scp: a path, `false` for none, or by default the ark path with `.scp`
   * instead of `.ark`. Its lines name the ark relative to the scp's folder.
   */
  scp?: string | false;
}

/** What {@link writeArk} wrote. */
export interface WriteArkResult {
  ark: string;
  scp: string | undefined;
  /** Byte offset of each entry's object, as written in the scp. */
  offsets: Map<string, number>;
}

const enc = new TextEncoder();

class BufferedFile {
  private parts: Uint8Array[] = [];
  private pending = 0;
  written = 0;
  constructor(private readonly fh: FileHandle) {}
  get position(): number {
    return this.written + this.pending;
  }
  async push(b: Uint8Array): Promise<void> {
    this.parts.push(b);
    this.pending += b.length;
    if (this.pending >= 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.pending === 0) return;
    const buf = Buffer.concat(this.parts, this.pending);
    this.parts = [];
    this.written += this.pending;
    this.pending = 0;
    let off = 0;
    while (off < buf.length) off += (await this.fh.write(buf, off, buf.length - off)).bytesWritten;
  }
}

function int32Field(v: number): Uint8Array {
  const b = new Uint8Array(5);
  b[0] = 4;
  new DataView(b.buffer).setInt32(1, v, true);
  return b;
}

function floatBytes(data: Float32Array | Float64Array): Uint8Array {
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (le) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const out = new Uint8Array(data.byteLength);
  const dv = new DataView(out.buffer);
  const w = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    if (w === 4) dv.setFloat32(4 * i, data[i]!, true);
    else dv.setFloat64(8 * i, data[i]!, true);
  }
  return out;
}

function checkKey(key: string, i: number): void {
  if (key.length === 0 || /\s/.test(key)) {
    throw new TypeError(
      `writeArk: entry ${i}: key ${JSON.stringify(key)} must be non-empty with no whitespace`,
    );
  }
}

function checkValue(v: KaldiValue, key: string): void {
  if (isMatrix(v)) {
    if (
      !Number.isInteger(v.rows) ||
      !Number.isInteger(v.cols) ||
      v.rows < 0 ||
      v.cols < 0 ||
      v.data.length !== v.rows * v.cols
    ) {
      throw new TypeError(
        `writeArk: ${key}: matrix ${v.rows}x${v.cols} needs ${v.rows * v.cols} values, has ${v.data.length}`,
      );
    }
  } else if (
    !(v instanceof Int32Array) &&
    !(v.data instanceof Float32Array || v.data instanceof Float64Array)
  ) {
    throw new TypeError(`writeArk: ${key}: expected a Matrix, Vector or Int32Array`);
  }
}

/** Binary encoding of one object (what follows `key `), including `\0B`. */
export function encodeBinary(v: KaldiValue, compressOpt?: CompressOption): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array([0, 0x42])];
  if (v instanceof Int32Array) {
    out.push(int32Field(v.length));
    const b = new Uint8Array(5 * v.length);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < v.length; i++) {
      b[5 * i] = 4;
      dv.setInt32(5 * i + 1, v[i]!, true);
    }
    out.push(b);
  } else if (isMatrix(v)) {
    if (compressOpt !== undefined) {
      const { format, bytes } = compress(v, compressionMethod(compressOpt));
      out.push(enc.encode(`${format} `), bytes);
    } else {
      out.push(
        enc.encode(v.data instanceof Float64Array ? 'DM ' : 'FM '),
        int32Field(v.rows),
        int32Field(v.cols),
      );
      out.push(floatBytes(v.data));
    }
  } else {
    out.push(enc.encode(v.data instanceof Float64Array ? 'DV ' : 'FV '), int32Field(v.data.length));
    out.push(floatBytes(v.data));
  }
  return out;
}

/** Text encoding of one object as Kaldi writes it (what follows `key `). */
export function encodeText(v: KaldiValue, compressOpt?: CompressOption): string {
  if (v instanceof Int32Array) {
    let s = '';
    for (let i = 0; i < v.length; i++) s += `${v[i]} `;
    return `${s}\n`;
  }
  if (isMatrix(v)) {
    let m: Matrix = v;
    if (compressOpt !== undefined && v.rows > 0 && v.cols > 0) {
      // Kaldi writes a compressed matrix in text as its decompressed values.
      const { format, bytes } = compress(v, compressionMethod(compressOpt));
      const dv = new DataView(bytes.buffer);
      m = decompress(
        {
          format,
          minValue: dv.getFloat32(0, true),
          range: dv.getFloat32(4, true),
          rows: v.rows,
          cols: v.cols,
        },
        bytes.subarray(16),
      );
    }
    if (m.cols === 0) return ' [ ]\n';
    const parts: string[] = [' ['];
    for (let r = 0; r < m.rows; r++) {
      let line = '\n  ';
      for (let c = 0; c < m.cols; c++) line += `${formatG(m.data[r * m.cols + c]!)} `;
      parts.push(line);
    }
    parts.push(']\n');
    return parts.join('');
  }
  let s = ' [ ';
  for (let i = 0; i < v.data.length; i++) s += `${formatG(v.data[i]!)} `;
  return `${s}]\n`;
}

/** Default scp path: `x.ark` becomes `x.scp`, anything else gets `.scp` appended. */
export function defaultScpPath(arkPath: string): string {
  return arkPath.endsWith('.ark') ? `${arkPath.slice(0, -4)}.scp` : `${arkPath}.scp`;
}

/**
 * Writes `entries` to a binary (default) or text ark and its scp (`key ark:offset`), byte-identical
 * to Kaldi's `copy-feats` with the same options. Both files appear atomically (temp file + rename).
 */
export async function writeArk(
  arkPath: string,
  entries: Iterable<ArkEntry> | AsyncIterable<ArkEntry>,
  opts: WriteArkOptions = {},
): Promise<WriteArkResult> {
  if (opts.compress !== undefined) compressionMethod(opts.compress); // validate early
  const scpPath = opts.scp === false ? undefined : (opts.scp ?? defaultScpPath(arkPath));
  const tag = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const arkTmp = arkPath + tag;
  const scpTmp = scpPath && scpPath + tag;
  const arkInScp = scpPath ? path.relative(path.dirname(path.resolve(scpPath)), path.resolve(arkPath)) : '';
  const offsets = new Map<string, number>();
  const fh = await open(arkTmp, 'wx');
  let scpText = '';
  try {
    const out = new BufferedFile(fh);
    let i = 0;
    for await (const { key, value } of entries) {
      checkKey(key, i);
      checkValue(value, key);
      await out.push(enc.encode(`${key} `));
      const at = out.position;
      offsets.set(key, at);
      scpText += `${key} ${arkInScp}:${at}\n`;
      if (opts.text) await out.push(enc.encode(encodeText(value, opts.compress)));
      else for (const b of encodeBinary(value, opts.compress)) await out.push(b);
      i++;
    }
    await out.flush();
    await fh.sync();
    await fh.close();
    if (scpTmp) {
      const sh = await open(scpTmp, 'wx');
      try {
        await sh.writeFile(scpText);
        await sh.sync();
      } finally {
        await sh.close();
      }
    }
    await rename(arkTmp, arkPath);
    if (scpTmp && scpPath) await rename(scpTmp, scpPath);
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(arkTmp, { force: true });
    if (scpTmp) await rm(scpTmp, { force: true });
    throw e;
  }
  return { ark: arkPath, scp: scpPath, offsets };
}
