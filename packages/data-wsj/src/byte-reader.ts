// Buffered sequential reader over a file or a pipe. Parsers ask for `need(n)` bytes before reading
// them; a file's size is known, so a header that claims more bytes than remain fails *before* any
// allocation, and a pipe's buffer only grows as bytes actually arrive. Reads are large (4 MiB for
// whole arks) and payloads are read straight into the memory they are returned in, so parsing an
// ark costs little more than reading it.
//
// Payloads (the float data of FM/DM/FV/DV) leave the reader in one of three ways (`payloadMode`):
// - 'copy': a fresh array per payload (random access, pipes, bytes owned by the caller);
// - 'slab': a view into the buffer itself, which becomes a slab: once a view is handed out the buffer
//   is never written again, the next fill allocates a new one. The file is read once, straight into
//   the memory the caller keeps; views stay valid forever (and keep their slab alive);
// - 'reuse': a view into the reused buffer, valid only until the reader moves on (streaming).
import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { KaldiFormatError, showBytes } from './kaldi-format-error.ts';

/** Buffer size for sequential reads of whole arks (fewer, larger reads). */
export const SEQUENTIAL_CHUNK = 1 << 22;
/** Buffer size for random access (scp gets): payloads larger than half of it are read directly. */
export const RANDOM_ACCESS_CHUNK = 1 << 16;

/** Size of the slabs that sequential readers in 'slab' mode carve payloads from. */
export const SLAB_SIZE = 1 << 22;
/** Payloads smaller than this are copied into their own array even in 'slab' mode, so a few small
 * vectors never keep a whole slab alive. */
export const SLAB_MIN_PAYLOAD = 1024;

/** How {@link ByteReader.take} hands out payload bytes (see the file comment). */
export type PayloadMode = 'copy' | 'slab' | 'reuse';

/** Reads up to `len` bytes into `into` at `at`; resolves 0 at the end of the input. */
type Source = (into: Uint8Array, at: number, len: number) => Promise<number>;

/** Sequential buffered reader used by every parser in this package. */
export class ByteReader {
  /** Current window; bytes `[pos, buf.length)` are unread. Valid until the next fill. */
  buf: Buffer;
  /** Read position in `buf`. */
  pos = 0;
  /** How {@link take} returns payloads; readers over caller-owned bytes always copy. */
  payloadMode: PayloadMode = 'copy';
  private store: Buffer;
  private base: number;
  private eof: boolean;
  /** Bytes `[0, pinned)` of `store` back views handed out in 'slab' mode: never overwrite them. */
  private pinned = 0;
  private readonly external: boolean;

  constructor(
    private readonly source: Source,
    /** File name or command, for errors. */
    readonly name: string,
    /** Absolute offset of the first byte this reader returns. */
    start: number,
    /** Absolute end offset when known (files), for size checks before allocating. */
    readonly end: number | undefined,
    private readonly closeFn: () => Promise<void>,
    initial?: Buffer,
    chunk = SEQUENTIAL_CHUNK,
  ) {
    this.base = start;
    this.external = initial !== undefined;
    this.store =
      initial ??
      Buffer.allocUnsafeSlow(end === undefined ? 1 << 16 : Math.max(1, Math.min(chunk, end - start)));
    this.buf = initial ?? this.store.subarray(0, 0);
    this.eof = initial !== undefined;
  }

  /** Absolute byte offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Number of buffered unread bytes. */
  get available(): number {
    return this.buf.length - this.pos;
  }

  /** Buffers at least `n` unread bytes if the input has them; returns whether it does. */
  async fill(n: number): Promise<boolean> {
    if (this.buf.length - this.pos >= n) return true;
    if (this.eof) return false;
    // Never ask a file for more than it holds; the caller still sees `false`.
    const want = this.end !== undefined ? Math.min(n, this.end - this.offset) : n;
    const left = this.buf.length - this.pos;
    let store = this.store;
    if (this.pinned > 0) {
      // 'slab' mode: the old buffer backs live views; start a new slab (files: never past the end).
      const size =
        this.end === undefined
          ? Math.max(store.length, 1 << 16)
          : Math.max(want, Math.min(SLAB_SIZE, this.end - this.offset));
      store = Buffer.allocUnsafeSlow(size);
      this.pinned = 0;
    } else if (this.end !== undefined && store.length < want) store = Buffer.allocUnsafeSlow(want);
    this.buf.copy(store, 0, this.pos, this.buf.length);
    this.base += this.pos;
    this.pos = 0;
    let filled = left;
    while (filled < want) {
      if (filled === store.length) {
        // Pipes: grow only as data arrives, so a lying header cannot force a huge allocation.
        const bigger = Buffer.allocUnsafe(Math.min(Math.max(want, 1), store.length * 2));
        store.copy(bigger, 0, 0, filled);
        store = bigger;
      }
      const got = await this.source(store, filled, store.length - filled);
      if (got === 0) {
        this.eof = true;
        break;
      }
      filled += got;
    }
    this.store = store;
    this.buf = store.subarray(0, filled);
    return filled >= n;
  }

  /** Like {@link fill} but throws a {@link KaldiFormatError} naming `what` when the input ends first. */
  async need(n: number, what: string): Promise<void> {
    if (this.end !== undefined && this.offset + n > this.end) {
      await this.fill(Math.min(16, this.end - this.offset));
      throw new KaldiFormatError(
        this.name,
        this.offset,
        `${what} (${n} bytes)`,
        `only ${this.end - this.offset} bytes left in the file`,
      );
    }
    if (!(await this.fill(n))) {
      throw new KaldiFormatError(
        this.name,
        this.offset,
        `${what} (${n} bytes)`,
        `end of input after ${this.available} bytes`,
      );
    }
  }

  /**
   * Reads exactly `dest.length` bytes into `dest`, straight from the source when they are not
   * buffered yet (no intermediate copy). Throws like {@link need} when the input is too short.
   */
  async readInto(dest: Uint8Array, what: string): Promise<void> {
    const n = dest.length;
    if (n - this.available <= this.store.length >> 1 || this.end === undefined) {
      await this.need(n, what);
      dest.set(this.buf.subarray(this.pos, this.pos + n));
      this.pos += n;
      return;
    }
    if (this.offset + n > this.end) await this.need(n, what); // throws with the standard message
    const have = this.available;
    dest.set(this.buf.subarray(this.pos, this.pos + have));
    this.base += this.buf.length;
    this.buf = this.store.subarray(0, 0);
    this.pos = 0;
    let filled = have;
    while (filled < n) {
      const got = await this.source(dest, filled, n - filled);
      if (got === 0) {
        this.eof = true;
        throw new KaldiFormatError(
          this.name,
          this.base,
          `${what} (${n} bytes)`,
          `end of input after ${filled} bytes`,
        );
      }
      filled += got;
      this.base += got;
    }
  }

  /**
   * Consumes the next `n` bytes (a payload) and returns them with a byteOffset that is a multiple
   * of `align` (4 or 8, so a Float32Array/Float64Array can view them), as {@link payloadMode} says:
   * a fresh array ('copy'), a view into a slab that is never reused ('slab'), or a view into the
   * reused buffer that is valid only until the next read from this reader ('reuse'). Throws like
   * {@link need} when the input is too short, before allocating anything for a file.
   */
  async take(n: number, align: number, what: string): Promise<Uint8Array> {
    const mode = this.external ? 'copy' : this.payloadMode;
    if (mode === 'copy' || (mode === 'slab' && n < SLAB_MIN_PAYLOAD)) {
      // Files: a size past the end throws before allocating. Pipes: buffer the bytes first (the
      // buffer only grows as data arrives), so a lying header cannot force a huge allocation.
      if (this.end === undefined || this.offset + n > this.end) await this.need(n, what);
      const out = new Uint8Array(Buffer.allocUnsafeSlow(n).buffer, 0, n);
      await this.readInto(out, what);
      return out;
    }
    // After a fill the unread bytes start at index 0 of a fresh or compacted buffer (aligned).
    if (this.buf.length - this.pos < n) await this.need(n, what);
    let at = this.pos;
    const k = (this.buf.byteOffset + at) % align;
    if (k !== 0) {
      if (at - k < this.pinned) {
        // Cannot happen inside an ark (a key and a header precede every payload); stay safe anyway.
        const out = new Uint8Array(n);
        out.set(this.buf.subarray(at, at + n));
        this.pos += n;
        return out;
      }
      // Slide the payload back over its already parsed header bytes to an aligned start.
      this.buf.copyWithin(at - k, at, at + n);
      at -= k;
    }
    const view = new Uint8Array(this.buf.buffer, this.buf.byteOffset + at, n);
    this.pos += n;
    if (mode === 'slab') this.pinned = this.pos;
    return view;
  }

  /** True at the end of the input. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  /** Readable preview of the next bytes, for errors. */
  async preview(): Promise<string> {
    await this.fill(17);
    return showBytes(this.buf.subarray(this.pos, this.pos + 17));
  }

  /** Throws a format error at the current offset. */
  async fail(expected: string): Promise<never> {
    throw new KaldiFormatError(this.name, this.offset, expected, await this.preview());
  }

  /** Releases the file or pipe. */
  close(): Promise<void> {
    return this.closeFn();
  }
}

/**
 * Opens `file` for sequential reading from byte `start` (an existing handle is not closed); `chunk`
 * is the buffer size (large for whole arks, small for one object).
 */
export async function openFileReader(
  file: string,
  start = 0,
  handle?: FileHandle,
  chunk = SEQUENTIAL_CHUNK,
): Promise<ByteReader> {
  const fh = handle ?? (await open(file, 'r'));
  let size: number;
  try {
    size = (await fh.stat()).size;
  } catch (e) {
    if (!handle) await fh.close();
    throw e;
  }
  if (start > size) {
    if (!handle) await fh.close();
    throw new KaldiFormatError(
      file,
      start,
      `an offset within the file (size ${size} bytes)`,
      'offset past the end',
    );
  }
  let position = start;
  const source: Source = async (into, at, len) => {
    const { bytesRead } = await fh.read(into, at, Math.min(len, size - position), position);
    position += bytesRead;
    return bytesRead;
  };
  return new ByteReader(
    source,
    file,
    start,
    size,
    async () => {
      if (!handle) await fh.close();
    },
    undefined,
    chunk,
  );
}

/** Wraps a readable stream (a pipe's stdout) as a {@link ByteReader}. */
export function streamReader(stream: Readable, name: string, onClose: () => Promise<void>): ByteReader {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer | undefined;
  const source: Source = async (into, at, len) => {
    if (!pending || pending.length === 0) {
      const r = await it.next();
      if (r.done) return 0;
      pending = r.value as Buffer;
    }
    const k = Math.min(len, pending.length);
    into.set(pending.subarray(0, k), at);
    pending = pending.subarray(k);
    return k;
  };
  return new ByteReader(source, name, 0, undefined, async () => {
    await it.return?.();
    await onClose();
  });
}

/** A reader over bytes already in memory (used by tests and fuzzing). */
export function bufferReader(bytes: Uint8Array, name: string): ByteReader {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new ByteReader(
    async () => 0,
    name,
    0,
    bytes.byteLength,
    async () => {},
    b,
  );
}
