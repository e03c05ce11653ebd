import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

// One file per checkpoint: a magic line, a little-endian u32 header length, a JSON header (the
// caller's plain state plus an index of named float32 arrays), then the arrays' bytes. Written to a
// temp file in the same directory, fsynced and renamed, so a reader sees the old or the new
// checkpoint, never a torn one.
const MAGIC = 'STNAS-CKPT-1\n';

/** A named float32 array and its shape. */
export interface CheckpointArray {
  shape: number[];
  data: Float32Array;
}

/** What a checkpoint holds: JSON-serialisable state and named float32 arrays. */
export interface Checkpoint<S = unknown> {
  state: S;
  arrays: Record<string, CheckpointArray>;
}

// JSON has no Infinity or NaN (JSON.stringify writes null): a schedule's "best so far" starts at
// Infinity, so non-finite numbers are written as {"$num": "Infinity"} and read back exactly.
const encodeNumber = (_k: string, v: unknown) =>
  typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v;
const decodeNumber = (_k: string, v: unknown) =>
  v !== null &&
  typeof v === 'object' &&
  typeof (v as { $num?: unknown }).$num === 'string' &&
  Object.keys(v).length === 1
    ? Number((v as { $num: string }).$num)
    : v;

/** Raised when a checkpoint file is missing, truncated or not a checkpoint; names the file. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** Writes `ckpt` to `file` atomically (temp file in the same directory, fsync, rename). */
export function writeCheckpoint<S>(file: string, ckpt: Checkpoint<S>): void {
  const index: { name: string; shape: number[]; offset: number; length: number }[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(ckpt.arrays)) {
    const size = a.shape.reduce((x, y) => x * y, 1);
    if (size !== a.data.length) {
      throw new CheckpointError(
        `writeCheckpoint(${file}): array "${name}" has ${a.data.length} values but shape [${a.shape}]`,
      );
    }
    index.push({ name, shape: a.shape, offset, length: a.data.length });
    offset += a.data.length * 4;
  }
  const header = Buffer.from(JSON.stringify({ state: ckpt.state, index }, encodeNumber), 'utf8');
  const head = Buffer.alloc(MAGIC.length + 4);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(header.length, MAGIC.length);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, head);
    writeSync(fd, header);
    for (const a of Object.values(ckpt.arrays)) {
      writeSync(fd, Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Reads a checkpoint written by `writeCheckpoint`; throws `CheckpointError` naming the file. */
export function readCheckpoint<S = unknown>(file: string): Checkpoint<S> {
  if (!existsSync(file)) throw new CheckpointError(`checkpoint ${file} does not exist`);
  const buf = readFileSync(file);
  if (buf.length < MAGIC.length + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new CheckpointError(`${file} is not an stnas checkpoint (bad magic)`);
  }
  const hlen = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + hlen > buf.length) throw new CheckpointError(`${file} is truncated (header)`);
  let parsed: { state: S; index: { name: string; shape: number[]; offset: number; length: number }[] };
  try {
    parsed = JSON.parse(buf.toString('utf8', start, start + hlen), decodeNumber);
  } catch (err) {
    throw new CheckpointError(`${file} has a corrupt header: ${(err as Error).message}`);
  }
  const base = start + hlen;
  const arrays: Record<string, CheckpointArray> = {};
  for (const e of parsed.index) {
    const end = base + e.offset + e.length * 4;
    if (end > buf.length) throw new CheckpointError(`${file} is truncated (array "${e.name}")`);
    // Copy into an aligned buffer: the data offset in the file need not be a multiple of 4.
    const data = new Float32Array(e.length);
    new Uint8Array(data.buffer).set(buf.subarray(base + e.offset, end));
    arrays[e.name] = { shape: e.shape, data };
  }
  return { state: parsed.state, arrays };
}

/** Writes a small text or JSON file atomically (temp file, rename). */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw err;
  }
}
