// Buffered sequential reader over a file or a pipe. Parsers ask for `need(n)` bytes before reading
// them; a file's size is known, so a header that claims more bytes than remain fails *before* any
// allocation, and a pipe's buffer only grows as bytes actually arrive. One buffer is reused for the
// whole input, and large payloads are read straight into their destination, so parsing an ark costs
// little more than reading it.
import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { KaldiFormatError, showBytes } from './kaldi-format-error.ts';

/** Buffer size for sequential reads of whole arks (fewer, larger reads). */
export const SEQUENTIAL_CHUNK = 1 << 20;
/** Buffer size for random access (scp gets): payloads larger than half of it are read directly. */
export const RANDOM_ACCESS_CHUNK = 1 << 16;

/** Reads up to `len` bytes into `into` at `at`; resolves 0 at the end of the input. */
type Source = (into: Uint8Array, at: number, len: number) => Promise<number>;

/** Sequential buffered reader used by every parser in this package. */
export class ByteReader {
  /** Current window; bytes `[pos, buf.length)` are unread. Valid until the next fill. */
  buf: Buffer;
  /** Read position in `buf`. */
  pos = 0;
  private store: Buffer;
  private base: number;
  private eof: boolean;

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
    this.store =
      initial ?? Buffer.allocUnsafe(end === undefined ? 1 << 16 : Math.max(1, Math.min(chunk, end - start)));
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
    if (this.end !== undefined && store.length < want) store = Buffer.allocUnsafe(want);
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
