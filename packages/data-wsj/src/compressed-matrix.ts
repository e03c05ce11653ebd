// Kaldi's CompressedMatrix (kaldi src/matrix/compressed-matrix.{h,cc}): the three on-disk formats
// CM (1 byte per value with per-column percentile headers, column-major), CM2 (uint16, row-major)
// and CM3 (uint8, row-major). Arithmetic mirrors Kaldi's float/double mix step by step (Math.fround
// wherever C++ rounds to float) so decompression matches Kaldi's and compression is byte-identical.
import type { Matrix } from './types.ts';

const f = Math.fround;

/** Kaldi's `--compression-method` values 1..7 (kaldi CompressionMethod enum). */
export type CompressionMethod = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** The compression option of {@link writeArk}: a format name or a Kaldi method number. */
export type CompressOption = 'CM' | 'CM2' | 'CM3' | 'auto' | CompressionMethod;

/** On-disk compressed formats. */
export type CompressedFormat = 'CM' | 'CM2' | 'CM3';

/** The 16-byte global header that follows the `CM ` / `CM2 ` / `CM3 ` token. */
export interface CompressedHeader {
  format: CompressedFormat;
  minValue: number;
  range: number;
  rows: number;
  cols: number;
}

/** Bytes of payload after the 16-byte header. */
export function compressedDataSize(h: { format: CompressedFormat; rows: number; cols: number }): number {
  if (h.format === 'CM') return 8 * h.cols + h.rows * h.cols;
  if (h.format === 'CM2') return 2 * h.rows * h.cols;
  return h.rows * h.cols;
}

/** Maps the writer's option to a Kaldi method number. */
export function compressionMethod(opt: CompressOption): CompressionMethod {
  switch (opt) {
    case 'auto':
      return 1;
    case 'CM':
      return 2;
    case 'CM2':
      return 3;
    case 'CM3':
      return 5;
    default:
      if (Number.isInteger(opt) && opt >= 1 && opt <= 7) return opt;
      throw new RangeError(
        `compress: expected 'CM', 'CM2', 'CM3', 'auto' or a method 1..7, got ${String(opt)}`,
      );
  }
}

// Uint16ToFloat: min_value + range * 1.52590218966964e-05F * value, all in float.
const INV65535F = f(1.52590218966964e-5);
function uint16ToFloat(min: number, range: number, v: number): number {
  return f(min + f(f(range * INV65535F) * v));
}

// CharToFloat multiplies by the double constants 1/64.0, 1/128.0, 1/63.0, so the last product and
// the sum are done in double and rounded to float once (verified against Kaldi's own decompression).
function charToFloat(p0: number, p25: number, p75: number, p100: number, v: number): number {
  if (v <= 64) return f(p0 + f(f(p25 - p0) * v) * (1 / 64));
  if (v <= 192) return f(p25 + f(f(p75 - p25) * (v - 64)) * (1 / 128));
  return f(p75 + f(f(p100 - p75) * (v - 192)) * (1 / 63));
}

/** Decompresses `payload` (the bytes after the 16-byte header) exactly as Kaldi's `CopyToMat`. */
export function decompress(h: CompressedHeader, payload: Uint8Array): Matrix {
  const { rows, cols } = h;
  const out = new Float32Array(rows * cols);
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const min = f(h.minValue);
  const range = f(h.range);
  if (h.format === 'CM') {
    const dataStart = 8 * cols;
    const lut = new Float32Array(256);
    for (let c = 0; c < cols; c++) {
      const p0 = uint16ToFloat(min, range, dv.getUint16(8 * c, true));
      const p25 = uint16ToFloat(min, range, dv.getUint16(8 * c + 2, true));
      const p75 = uint16ToFloat(min, range, dv.getUint16(8 * c + 4, true));
      const p100 = uint16ToFloat(min, range, dv.getUint16(8 * c + 6, true));
      const colStart = dataStart + c * rows;
      if (rows > 256) {
        // Same values as calling charToFloat per element, computed once per possible byte.
        for (let v = 0; v < 256; v++) lut[v] = charToFloat(p0, p25, p75, p100, v);
        for (let r = 0; r < rows; r++) out[r * cols + c] = lut[payload[colStart + r]!]!;
      } else {
        for (let r = 0; r < rows; r++)
          out[r * cols + c] = charToFloat(p0, p25, p75, p100, payload[colStart + r]!);
      }
    }
  } else if (h.format === 'CM2') {
    // increment = float(range * (1.0 / 65535.0)) computed in double, then uint16 * float in float.
    const inc = f(range * (1.0 / 65535.0));
    const n = rows * cols;
    for (let i = 0; i < n; i++) out[i] = f(min + f(dv.getUint16(2 * i, true) * inc));
  } else {
    const inc = f(range * (1.0 / 255.0));
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = f(min + f(v * inc));
    const n = rows * cols;
    for (let i = 0; i < n; i++) out[i] = lut[payload[i]!]!;
  }
  return { rows, cols, data: out };
}

function floatToUint16(min: number, range: number, value: number): number {
  let x = f(f(value - min) / range);
  if (x > 1) x = 1;
  if (x < 0) x = 0;
  return Math.trunc(f(x * 65535) + 0.499);
}

function floatToUint8(min: number, range: number, value: number): number {
  let x = f(f(value - min) / range);
  if (x > 1) x = 1;
  if (x < 0) x = 0;
  return Math.trunc(f(x * 255) + 0.499);
}

function floatToChar(p0: number, p25: number, p75: number, p100: number, value: number): number {
  let ans: number;
  if (value < p25) {
    const x = f(f(value - p0) / f(p25 - p0));
    ans = Math.trunc(f(x * 64) + 0.5);
    if (ans < 0) ans = 0;
    if (ans > 64) ans = 64;
  } else if (value < p75) {
    const x = f(f(value - p25) / f(p75 - p25));
    ans = 64 + Math.trunc(f(x * 128) + 0.5);
    if (ans < 64) ans = 64;
    if (ans > 192) ans = 192;
  } else {
    const x = f(f(value - p75) / f(p100 - p75));
    ans = 192 + Math.trunc(f(x * 63) + 0.5);
    if (ans < 192) ans = 192;
    if (ans > 255) ans = 255;
  }
  return ans;
}

/** Hoare quickselect: afterwards a[k] is the k-th smallest of a[lo..hi], smaller ones before it, larger after. */
function select(a: Float32Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as the pivot
    let x = a[lo]!;
    let y = a[mid]!;
    let z = a[hi]!;
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) [x, y] = [y, x];
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * Compresses `m` as Kaldi's `CompressedMatrix::CopyFromMat(mat, method)`, returning the format and
 * the on-disk bytes after the token (16-byte header then payload). Values are rounded to float first,
 * as `copy-feats` does. Throws on NaN or infinity, as Kaldi does.
 */
export function compress(
  m: Matrix,
  method: CompressionMethod,
): { format: CompressedFormat; bytes: Uint8Array } {
  const { rows, cols } = m;
  const data = m.data instanceof Float32Array ? m.data : Float32Array.from(m.data);
  let meth: number = method;
  if (meth === 1) meth = rows > 8 ? 2 : 3;
  const format: CompressedFormat = meth === 2 ? 'CM' : meth === 3 || meth === 4 ? 'CM2' : 'CM3';
  if (rows === 0 || cols === 0) {
    // Kaldi stores an empty matrix as a NULL pointer and writes a zero header; we write the 16
    // header bytes Kaldi's reader expects (kaldi writes 4 extra uninitialised bytes here).
    return { format: 'CM', bytes: new Uint8Array(16) };
  }
  let min: number;
  let range: number;
  if (meth === 2 || meth === 3 || meth === 5) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (Number.isNaN(v)) throw new RangeError('compress: cannot compress a matrix with NaN values');
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new RangeError('compress: cannot compress a matrix with infinite values');
    }
    if (hi === lo) hi = f(lo + (1.0 + Math.abs(lo)));
    min = lo;
    range = f(hi - lo);
  } else if (meth === 4) {
    min = -32768;
    range = 65535;
  } else if (meth === 6) {
    min = 0;
    range = 255;
  } else {
    min = 0;
    range = 1;
  }
  const size = 16 + compressedDataSize({ format, rows, cols });
  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);
  dv.setFloat32(0, min, true);
  dv.setFloat32(4, range, true);
  dv.setInt32(8, rows, true);
  dv.setInt32(12, cols, true);
  if (format === 'CM') {
    const dataStart = 16 + 8 * cols;
    const col = new Float32Array(rows);
    const work = new Float32Array(rows);
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) col[r] = data[r * cols + c]!;
      let q0: number;
      let q25: number;
      let q75: number;
      let q100: number;
      if (rows >= 5) {
        // Kaldi uses std::nth_element; any exact selection gives the same order statistics.
        const quarter = rows >> 2;
        work.set(col);
        select(work, quarter, 0, rows - 1);
        select(work, 3 * quarter, quarter + 1, rows - 1);
        let lo = work[0]!;
        for (let r = 1; r < quarter; r++) if (work[r]! < lo) lo = work[r]!;
        let hi = work[3 * quarter]!;
        for (let r = 3 * quarter + 1; r < rows; r++) if (work[r]! > hi) hi = work[r]!;
        q0 = Math.min(floatToUint16(min, range, lo), 65532);
        q25 = Math.min(Math.max(floatToUint16(min, range, work[quarter]!), q0 + 1), 65533);
        q75 = Math.min(Math.max(floatToUint16(min, range, work[3 * quarter]!), q25 + 1), 65534);
        q100 = Math.max(floatToUint16(min, range, hi), q75 + 1);
      } else {
        const sorted = col.slice().sort();
        q0 = Math.min(floatToUint16(min, range, sorted[0]!), 65532);
        q25 = rows > 1 ? Math.min(Math.max(floatToUint16(min, range, sorted[1]!), q0 + 1), 65533) : q0 + 1;
        q75 = rows > 2 ? Math.min(Math.max(floatToUint16(min, range, sorted[2]!), q25 + 1), 65534) : q25 + 1;
        q100 = rows > 3 ? Math.max(floatToUint16(min, range, sorted[3]!), q75 + 1) : q75 + 1;
      }
      // uint16 arithmetic in C++ wraps; q100 can reach 65536 only in impossible cases, mask anyway.
      q100 &= 0xffff;
      dv.setUint16(16 + 8 * c, q0, true);
      dv.setUint16(16 + 8 * c + 2, q25, true);
      dv.setUint16(16 + 8 * c + 4, q75, true);
      dv.setUint16(16 + 8 * c + 6, q100, true);
      const p0 = uint16ToFloat(min, range, q0);
      const p25 = uint16ToFloat(min, range, q25);
      const p75 = uint16ToFloat(min, range, q75);
      const p100 = uint16ToFloat(min, range, q100);
      const base = dataStart + c * rows;
      for (let r = 0; r < rows; r++) bytes[base + r] = floatToChar(p0, p25, p75, p100, col[r]!);
    }
  } else if (format === 'CM2') {
    for (let i = 0; i < data.length; i++) dv.setUint16(16 + 2 * i, floatToUint16(min, range, data[i]!), true);
  } else {
    for (let i = 0; i < data.length; i++) bytes[16 + i] = floatToUint8(min, range, data[i]!);
  }
  return { format, bytes };
}
