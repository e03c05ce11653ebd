// Random access to an scp (`key rxfilename` per line) with lazily opened, LRU-bounded file handles.
import { type FileHandle, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { openFileReader, RANDOM_ACCESS_CHUNK } from './byte-reader.ts';
import { KaldiFormatError } from './kaldi-format-error.ts';
import type { ParseOptions } from './parse-object.ts';
import { readObjectFrom } from './read-matrix.ts';
import {
  openPipeReader,
  PipeNotAllowedError,
  type PipeOptions,
  parseRxspec,
  type Rxspec,
} from './rxspecifier.ts';
import { isMatrix, type KaldiValue, type Matrix } from './types.ts';

/** Options for {@link loadScp}. */
export interface LoadScpOptions extends PipeOptions, ParseOptions {
  /** Most file handles kept open at once (default 16). */
  maxOpenFiles?: number;
  /** Folder relative paths resolve against (default: the scp's folder; Kaldi resolves against its working directory). */
  baseDir?: string;
}

/** One scp line. */
export interface ScpEntry {
  key: string;
  /** The rxfilename as written in the scp. */
  rxfilename: string;
  /** 1-based line number, for errors. */
  line: number;
}

/** Random access by key to the objects an scp points at. */
export interface ScpTable {
  /** The scp file. */
  readonly path: string;
  /** Keys in file order. */
  keys(): string[];
  /** Whether the scp has `key`. */
  has(key: string): boolean;
  /** The rxfilename of `key` as written (undefined if absent). */
  entry(key: string): ScpEntry | undefined;
  /** Reads the object of `key` (throws naming the scp and key when absent). */
  get(key: string): Promise<KaldiValue>;
  /** Reads the matrix of `key`; throws if the object is not a matrix. */
  getMatrix(key: string): Promise<Matrix>;
  /** Number of rows of `key`'s matrix, reading only its header when possible. */
  numRows(key: string): Promise<number>;
  /** Number of file handles currently open. */
  openFiles(): number;
  /** Closes every open file handle. */
  close(): Promise<void>;
}

/** Parses scp text into entries, splitting each line at its first whitespace (values may hold spaces). */
export function parseScp(text: string, file: string): ScpEntry[] {
  const out: ScpEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '') continue;
    const m = /^(\S+)\s+(.+)$/.exec(l);
    if (!m)
      throw new KaldiFormatError(
        file,
        undefined,
        `"key rxfilename" on line ${i + 1}`,
        JSON.stringify(l.slice(0, 80)),
      );
    out.push({ key: m[1]!, rxfilename: m[2]!, line: i + 1 });
  }
  return out;
}

class HandlePool {
  private open = new Map<string, { fh: Promise<FileHandle>; users: number }>();
  constructor(private readonly max: number) {}

  async acquire(file: string): Promise<FileHandle> {
    let e = this.open.get(file);
    if (e) {
      this.open.delete(file); // re-insert as most recently used
      this.open.set(file, e);
    } else {
      e = { fh: open(file, 'r'), users: 0 };
      this.open.set(file, e);
      e.fh.catch(() => this.open.delete(file));
    }
    e.users++;
    try {
      return await e.fh;
    } catch (err) {
      e.users--;
      throw err;
    }
  }

  async release(file: string): Promise<void> {
    const e = this.open.get(file);
    if (e) e.users--;
    await this.evict();
  }

  private async evict(): Promise<void> {
    for (const [file, e] of this.open) {
      if (this.open.size <= this.max) break;
      if (e.users > 0) continue;
      this.open.delete(file);
      await (await e.fh).close();
    }
  }

  get size(): number {
    return this.open.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (e) => (await e.fh.catch(() => null))?.close()));
  }
}

/**
 * Loads an scp for random access by key. Nothing is read until `get`; relative paths resolve
 * against the scp's folder; at most `maxOpenFiles` handles stay open. Duplicate keys are an error
 * naming both lines (use {@link parseScp} to walk every line in order).
 */
export async function loadScp(scpPath: string, opts: LoadScpOptions = {}): Promise<ScpTable> {
  const text = await readFile(scpPath, 'utf8');
  const entries = parseScp(text, scpPath);
  const byKey = new Map<string, ScpEntry & { rx: Rxspec }>();
  const baseDir = opts.baseDir ?? path.dirname(scpPath);
  for (const e of entries) {
    const prev = byKey.get(e.key);
    if (prev) {
      throw new KaldiFormatError(
        scpPath,
        undefined,
        `unique keys, but key ${JSON.stringify(e.key)} is on lines ${prev.line} and ${e.line}`,
      );
    }
    let rx: Rxspec;
    try {
      rx = parseRxspec(e.rxfilename);
    } catch (err) {
      throw new KaldiFormatError(
        scpPath,
        undefined,
        `a valid rxfilename on line ${e.line}`,
        (err as Error).message,
      );
    }
    if (rx.kind === 'file' && !path.isAbsolute(rx.path)) rx.path = path.join(baseDir, rx.path);
    byKey.set(e.key, { ...e, rx });
  }
  const pool = new HandlePool(Math.max(1, opts.maxOpenFiles ?? 16));
  const keys = entries.map((e) => e.key);
  const lookup = (key: string) => {
    const e = byKey.get(key);
    if (!e) throw new Error(`${scpPath}: no key ${JSON.stringify(key)} (${keys.length} keys)`);
    return e;
  };
  const where = (e: ScpEntry) => `${scpPath} line ${e.line} (${e.key})`;

  const get = async (key: string): Promise<KaldiValue> => {
    const e = lookup(key);
    const rx = e.rx;
    if (rx.kind === 'pipe') {
      if (!opts.allowPipes) throw new PipeNotAllowedError(e.rxfilename, where(e));
      return readObjectFrom(openPipeReader(rx.command), rx.range, `${where(e)}: ${e.rxfilename}`, opts);
    }
    const fh = await pool.acquire(rx.path);
    try {
      const r = await openFileReader(rx.path, rx.offset ?? 0, fh, RANDOM_ACCESS_CHUNK);
      return await readObjectFrom(r, rx.range, `${where(e)}: ${e.rxfilename}`, opts);
    } finally {
      await pool.release(rx.path);
    }
  };

  const numRows = async (key: string): Promise<number> => {
    const e = lookup(key);
    const rx = e.rx;
    if (rx.kind === 'file' && !rx.range) {
      const fh = await pool.acquire(rx.path);
      try {
        const head = Buffer.alloc(32);
        const { bytesRead } = await fh.read(head, 0, 32, rx.offset ?? 0);
        const h = head.subarray(0, bytesRead);
        if (h[0] === 0 && h[1] === 0x42) {
          const tok = h.toString('latin1', 2, 6);
          if ((tok.startsWith('FM ') || tok.startsWith('DM ')) && h.length >= 10 && h[5] === 4)
            return h.readInt32LE(6);
          const off = tok.startsWith('CM ') ? 5 : tok === 'CM2 ' || tok === 'CM3 ' ? 6 : -1;
          if (off > 0 && h.length >= off + 16) {
            const rows = h.readInt32LE(off + 8);
            const cols = h.readInt32LE(off + 12);
            if (rows >= 0 && cols >= 0) return cols === 0 ? 0 : rows;
          }
        }
      } finally {
        await pool.release(rx.path);
      }
    }
    const v = await get(key);
    if (!isMatrix(v)) throw new TypeError(`${where(e)}: expected a matrix`);
    return v.rows;
  };

  return {
    path: scpPath,
    keys: () => keys.slice(),
    has: (key) => byKey.has(key),
    entry: (key) => {
      const e = byKey.get(key);
      return e && { key: e.key, rxfilename: e.rxfilename, line: e.line };
    },
    get,
    async getMatrix(key) {
      const v = await get(key);
      if (!isMatrix(v)) throw new TypeError(`${where(lookup(key))}: expected a matrix, found a vector`);
      return v;
    },
    numRows,
    openFiles: () => pool.size,
    close: () => pool.closeAll(),
  };
}
