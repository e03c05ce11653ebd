// Buffered sequential reader over a file or a pipe. Parsers ask for `need(n)` bytes before reading
// them; a file's size is known, so a header that claims more bytes than remain fails *before* any
// allocation, and a pipe's buffer only ever grows with the bytes that actually arrived.
import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { KaldiFormatError, showBytes } from './kaldi-format-error.ts';

const CHUNK = 1 << 22;

/** Pulls the next chunk of at least `min` bytes when possible; null at the end. */
type Pull = (min: number) => Promise<Buffer | null>;

/** Sequential buffered reader used by every parser in this package. */
export class ByteReader {
  /** Current buffer; bytes `[pos, buf.length)` are unread. */
  buf: Buffer = Buffer.alloc(0);
  /** Read position in `buf`. */
  pos = 0;
  private base: number;
  private eof = false;

  constructor(
    private readonly pull: Pull,
    /** File name or command, for errors. */
    readonly name: string,
    /** Absolute offset of the first byte this reader returns. */
    start: number,
    /** Absolute end offset when known (files), for size checks before allocating. */
    readonly end: number | undefined,
    private readonly closeFn: () => Promise<void>,
  ) {
    this.base = start;
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
    const parts: Buffer[] = [this.buf.subarray(this.pos)];
    let have = parts[0]!.length;
    while (have < want) {
      const chunk = await this.pull(want - have);
      if (chunk === null) {
        this.eof = true;
        break;
      }
      parts.push(chunk);
      have += chunk.length;
    }
    this.base += this.pos;
    this.pos = 0;
    this.buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
    return this.buf.length >= n;
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

  /** True at the end of the input. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  /** Readable preview of the next bytes, for errors. */
  async preview(): Promise<string> {
    await this.fill(16);
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

/** Opens `file` for sequential reading from byte `start` (an existing handle is not closed). */
export async function openFileReader(file: string, start = 0, handle?: FileHandle): Promise<ByteReader> {
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
  const pull: Pull = async (min) => {
    const len = Math.min(Math.max(min, CHUNK), size - position);
    if (len <= 0) return null;
    const b = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await fh.read(b, got, len - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    position += got;
    return got === 0 ? null : b.subarray(0, got);
  };
  return new ByteReader(pull, file, start, size, async () => {
    if (!handle) await fh.close();
  });
}

/** Wraps a readable stream (a pipe's stdout) as a {@link ByteReader}. */
export function streamReader(stream: Readable, name: string, onClose: () => Promise<void>): ByteReader {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const pull: Pull = async () => {
    const r = await it.next();
    return r.done ? null : (r.value as Buffer);
  };
  return new ByteReader(pull, name, 0, undefined, async () => {
    await it.return?.();
    await onClose();
  });
}

/** A reader over bytes already in memory (used by tests and fuzzing). */
export function bufferReader(bytes: Uint8Array, name: string): ByteReader {
  let given = false;
  const pull: Pull = async () => {
    if (given) return null;
    given = true;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  return new ByteReader(pull, name, 0, bytes.byteLength, async () => {});
}
