// Parses one Kaldi object (what follows `key ` in an ark, or what an scp offset points at):
// binary (`\0B` then a type token) or text. Every size is checked against the bytes left before
// anything is allocated, and every failure names the file, the byte offset and what was expected.
import type { ByteReader } from './byte-reader.ts';
import { type CompressedFormat, compressedDataSize, decompress } from './compressed-matrix.ts';
import { KaldiFormatError } from './kaldi-format-error.ts';
import type { KaldiValue } from './types.ts';

/** Options for parsing objects. */
export interface ParseOptions {
  /** Precision of matrices and vectors read from text arks (text has no FM/DM distinction). Default 'float32'. */
  textPrecision?: 'float32' | 'float64';
}

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

async function readInt32(r: ByteReader, what: string): Promise<number> {
  if (r.available < 5) await r.need(5, `\\x04 then an int32 ${what}`);
  if (r.buf[r.pos] !== 4) await r.fail(`\\x04 (size of an int32) before ${what}`);
  const v = r.buf.readInt32LE(r.pos + 1);
  r.pos += 5;
  return v;
}

async function readToken(r: ByteReader): Promise<string> {
  const start = r.offset;
  let tok = '';
  for (let i = 0; i < 8; i++) {
    if (!(r.available >= 1 || (await r.fill(1)))) break;
    const b = r.buf[r.pos]!;
    if (b === 0x20) {
      r.pos++;
      return tok;
    }
    if (b < 0x21 || b > 0x7e) break;
    tok += String.fromCharCode(b);
    r.pos++;
  }
  throw new KaldiFormatError(
    r.name,
    start,
    'a type token (FM, DM, FV, DV, CM, CM2, CM3) followed by a space',
    JSON.stringify(tok) + ' then ' + (await r.preview()),
  );
}

/**
 * Reads `n` little-endian floats: a fresh array, or a view the reader's {@link ByteReader.payloadMode}
 * allows (never zero-filled first: every byte is written).
 */
async function readFloats(
  r: ByteReader,
  n: number,
  bytesPer: 4 | 8,
  what: string,
): Promise<Float32Array | Float64Array> {
  if (LITTLE) {
    const b = await r.take(n * bytesPer, bytesPer, what);
    return bytesPer === 4
      ? new Float32Array(b.buffer, b.byteOffset, n)
      : new Float64Array(b.buffer, b.byteOffset, n);
  }
  if (r.end === undefined || r.offset + n * bytesPer > r.end) await r.need(n * bytesPer, what);
  const raw = Buffer.allocUnsafeSlow(n * bytesPer);
  await r.readInto(raw, what);
  const out = bytesPer === 4 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = bytesPer === 4 ? raw.readFloatLE(4 * i) : raw.readDoubleLE(8 * i);
  return out;
}

function checkDim(r: ByteReader, v: number, what: string, at: number): void {
  if (v < 0) throw new KaldiFormatError(r.name, at, `a non-negative ${what}`, String(v));
}

/** Parses a binary object; the reader is just after `\0B`. */
export async function parseBinary(r: ByteReader): Promise<KaldiValue> {
  if (r.available < 1) await r.need(1, 'a type token or \\x04');
  if (r.buf[r.pos] === 4) {
    // int32 vector: no token, `\x04 n` then n times `\x04 int32` (kaldi BasicVectorHolder).
    const at = r.offset;
    const n = await readInt32(r, 'vector length');
    checkDim(r, n, 'int32 vector length', at);
    await r.need(5 * n, `${n} int32 values, each \\x04 then 4 bytes`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = r.pos + 5 * i;
      if (r.buf[p] !== 4) {
        r.pos = p;
        await r.fail(`\\x04 (size of an int32) before value ${i} of ${n}`);
      }
      out[i] = r.buf.readInt32LE(p + 1);
    }
    r.pos += 5 * n;
    return out;
  }
  const tokAt = r.offset;
  const tok = await readToken(r);
  switch (tok) {
    case 'FM':
    case 'DM': {
      const at = r.offset;
      const rows = await readInt32(r, 'rows');
      const cols = await readInt32(r, 'cols');
      checkDim(r, rows, 'row count', at);
      checkDim(r, cols, 'column count', at + 5);
      const bytesPer = tok === 'FM' ? 4 : 8;
      const what = `${rows}x${cols} ${tok === 'FM' ? 'float32' : 'float64'} values`;
      return { rows, cols, data: await readFloats(r, rows * cols, bytesPer, what) };
    }
    case 'FV':
    case 'DV': {
      const at = r.offset;
      const n = await readInt32(r, 'vector dimension');
      checkDim(r, n, 'vector dimension', at);
      const bytesPer = tok === 'FV' ? 4 : 8;
      return {
        data: await readFloats(r, n, bytesPer, `${n} ${tok === 'FV' ? 'float32' : 'float64'} values`),
      };
    }
    case 'CM':
    case 'CM2':
    case 'CM3': {
      const at = r.offset;
      if (r.available < 16) await r.need(16, `the ${tok} header (min, range, rows, cols)`);
      const minValue = r.buf.readFloatLE(r.pos);
      const range = r.buf.readFloatLE(r.pos + 4);
      const rows = r.buf.readInt32LE(r.pos + 8);
      const cols = r.buf.readInt32LE(r.pos + 12);
      checkDim(r, rows, 'row count in the compressed header', at + 8);
      checkDim(r, cols, 'column count in the compressed header', at + 12);
      r.pos += 16;
      if (cols === 0 || rows === 0) return { rows: 0, cols: 0, data: new Float32Array(0) };
      const format = tok as CompressedFormat;
      const size = compressedDataSize({ format, rows, cols });
      await r.need(size, `${rows}x${cols} ${tok} payload`);
      const payload = r.buf.subarray(r.pos, r.pos + size);
      r.pos += size;
      return decompress({ format, minValue, range, rows, cols }, payload);
    }
    default:
      throw new KaldiFormatError(
        r.name,
        tokAt,
        'a type token FM, DM, FV, DV, CM, CM2, CM3 or \\x04',
        JSON.stringify(tok),
      );
  }
}

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0d;

/** Finds byte `ch` at or after the reader position, buffering as needed; returns its index in `r.buf`. */
async function findByte(r: ByteReader, ch: number, what: string, eofOk = false): Promise<number> {
  let from = r.pos;
  for (;;) {
    const i = r.buf.indexOf(ch, from);
    if (i >= 0) return i;
    const scanned = r.buf.length - r.pos;
    if (!(await r.fill(scanned + 65536))) {
      const i2 = r.buf.indexOf(ch, r.pos);
      if (i2 >= 0) return i2;
      if (eofOk) return r.buf.length;
      throw new KaldiFormatError(r.name, r.offset, what, 'end of input');
    }
    from = r.pos + scanned;
  }
}

function parseNumber(tok: string, r: ByteReader, at: number, integer: boolean): number {
  if (integer) {
    if (!/^[+-]?\d+$/.test(tok)) throw new KaldiFormatError(r.name, at, 'an integer', JSON.stringify(tok));
    const v = Number(tok);
    if (v > 2147483647 || v < -2147483648) throw new KaldiFormatError(r.name, at, 'an int32', tok);
    return v;
  }
  const v = Number(tok);
  if (Number.isNaN(v)) {
    const t = tok.toLowerCase().replace(/^\+/, '');
    if (t === 'inf' || t === 'infinity') return Number.POSITIVE_INFINITY;
    if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY;
    if (t === 'nan' || t === '-nan') return Number.NaN;
    throw new KaldiFormatError(r.name, at, 'a number', JSON.stringify(tok));
  }
  return v;
}

/**
 * Parses a text object at the reader position: `[` newline rows `]` (matrix), `[ v v ]` on one
 * line (vector), `[ ]` (empty matrix), or `v v v` up to the end of the line (int32 vector).
 */
export async function parseText(r: ByteReader, opts: ParseOptions = {}): Promise<KaldiValue> {
  while ((r.available >= 1 || (await r.fill(1))) && isSpace(r.buf[r.pos]!)) r.pos++;
  const start = r.offset;
  if (!(r.available >= 1 || (await r.fill(1))) || r.buf[r.pos] !== 0x5b /* [ */) {
    // int32 vector: tokens to the end of the line.
    const nl = await findByte(r, 0x0a, 'a newline ending the int32 vector');
    const line = r.buf.toString('latin1', r.pos, nl);
    r.pos = nl + 1;
    const toks = line.split(/[ \t\r]+/).filter((t) => t.length > 0);
    const out = new Int32Array(toks.length);
    for (let i = 0; i < toks.length; i++) out[i] = parseNumber(toks[i]!, r, start, true);
    return out;
  }
  const close = await findByte(r, 0x5d /* ] */, "']' closing the matrix or vector");
  const body = r.buf.toString('latin1', r.pos + 1, close);
  r.pos = close + 1;
  // Consume the rest of the line after ']'.
  while ((r.available >= 1 || (await r.fill(1))) && isSpace(r.buf[r.pos]!)) r.pos++;
  if ((r.available >= 1 || (await r.fill(1))) && r.buf[r.pos] === 0x0a) r.pos++;
  const Arr = opts.textPrecision === 'float64' ? Float64Array : Float32Array;
  if (!body.includes('\n')) {
    const toks = body.split(/[ \t\r]+/).filter((t) => t.length > 0);
    if (toks.length === 0) return { rows: 0, cols: 0, data: new Arr(0) };
    const data = new Arr(toks.length);
    for (let i = 0; i < toks.length; i++) data[i] = parseNumber(toks[i]!, r, start, false);
    return { data };
  }
  const lines = body.split('\n');
  const rowsToks: string[][] = [];
  for (const l of lines) {
    const toks = l.split(/[ \t\r]+/).filter((t) => t.length > 0);
    if (toks.length > 0) rowsToks.push(toks);
  }
  const rows = rowsToks.length;
  const cols = rows ? rowsToks[0]!.length : 0;
  const data = new Arr(rows * cols);
  for (let i = 0; i < rows; i++) {
    const toks = rowsToks[i]!;
    if (toks.length !== cols) {
      throw new KaldiFormatError(
        r.name,
        start,
        `${cols} values in row ${i} of the text matrix`,
        `${toks.length}`,
      );
    }
    for (let j = 0; j < cols; j++) data[i * cols + j] = parseNumber(toks[j]!, r, start, false);
  }
  return { rows, cols, data };
}

/** Parses one object, binary (`\0B`) or text, at the reader position. */
export async function parseObject(r: ByteReader, opts: ParseOptions = {}): Promise<KaldiValue> {
  if ((r.available >= 2 || (await r.fill(2))) && r.buf[r.pos] === 0 && r.buf[r.pos + 1] === 0x42) {
    r.pos += 2;
    return parseBinary(r);
  }
  if (!(r.available >= 1 || (await r.fill(1)))) await r.fail('a value (binary \\0B or text)');
  if (r.buf[r.pos] === 0) await r.fail('\\0B (binary marker)');
  return parseText(r, opts);
}

/**
 * Reads the next `key ` of an ark: skips leading whitespace, then a token followed by a space or
 * tab (consumed) or a newline (not consumed), as kaldi's SequentialTableReaderArchiveImpl does.
 * Returns null at a clean end of input.
 */
export async function parseKey(r: ByteReader): Promise<string | null> {
  while ((r.available >= 1 || (await r.fill(1))) && (isSpace(r.buf[r.pos]!) || r.buf[r.pos] === 0x0a))
    r.pos++;
  if (!(r.available >= 1 || (await r.fill(1)))) return null;
  const start = r.offset;
  const bytes: number[] = [];
  const shown = () => JSON.stringify(Buffer.from(bytes.slice(0, 64)).toString('utf8'));
  for (;;) {
    if (!(r.available >= 1 || (await r.fill(1))))
      throw new KaldiFormatError(r.name, start, `a value after key ${shown()}`, 'end of input');
    const b = r.buf[r.pos]!;
    if (b === 0x20 || b === 0x09) {
      r.pos++;
      break;
    }
    if (b === 0x0a) break;
    if (b < 0x21 || b === 0x7f || bytes.length >= 4096) {
      if (bytes.length === 0 && b === 4) {
        throw new KaldiFormatError(
          r.name,
          r.offset,
          'a key; \\x04 here means the previous entry was not a plain int32 vector (types such as ' +
            'Posterior or confusion networks are not supported: only FM, DM, FV, DV, CM, CM2, CM3 and int32 vectors)',
          await r.preview(),
        );
      }
      throw new KaldiFormatError(r.name, r.offset, `a space after key ${shown()}`, await r.preview());
    }
    bytes.push(b);
    r.pos++;
  }
  const key = Buffer.from(bytes).toString('utf8');
  if (!(r.available >= 1 || (await r.fill(1))))
    throw new KaldiFormatError(r.name, r.offset, `a value after key ${JSON.stringify(key)}`, 'end of input');
  return key;
}
