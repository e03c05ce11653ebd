import { type ByteReader, RANDOM_ACCESS_CHUNK } from './byte-reader.ts';
import { sliceMatrix } from './matrix-range.ts';
import { type ParseOptions, parseObject } from './parse-object.ts';
import { type MatrixRange, openRx, type PipeOptions, parseRxspec } from './rxspecifier.ts';
import { isMatrix, type KaldiValue, type Matrix } from './types.ts';

/** Options for {@link readObject} and {@link readMatrix}. */
export interface ReadObjectOptions extends PipeOptions, ParseOptions {
  /** Folder that relative paths are resolved against (loadScp passes the scp's folder). */
  baseDir?: string;
}

/**
 * Reads the one object an rxfilename names: `file.ark:offset`, a whole `file`, or `cmd |` (with
 * `allowPipes`), with an optional inclusive range `[r1:r2]`, `[r1:r2,c1:c2]`, `[:,c1:c2]` on matrices.
 */
export async function readObject(rxspecifier: string, opts: ReadObjectOptions = {}): Promise<KaldiValue> {
  const rx = parseRxspec(rxspecifier);
  if (rx.kind === 'file' && opts.baseDir !== undefined) {
    const { isAbsolute, join } = await import('node:path');
    if (!isAbsolute(rx.path)) rx.path = join(opts.baseDir, rx.path);
  }
  const r = await openRx(
    rx,
    rxspecifier,
    opts,
    `readObject(${JSON.stringify(rxspecifier)})`,
    RANDOM_ACCESS_CHUNK,
  );
  return readObjectFrom(r, rx.range, rxspecifier, opts);
}

/** Parses one object from an opened reader, closes it and applies `range`. */
export async function readObjectFrom(
  r: ByteReader,
  range: MatrixRange | undefined,
  rxspecifier: string,
  opts: ParseOptions,
): Promise<KaldiValue> {
  let value: KaldiValue;
  try {
    value = await parseObject(r, opts);
  } catch (e) {
    await r.close().catch(() => {});
    throw e;
  }
  await r.close();
  if (range) {
    if (!isMatrix(value))
      throw new TypeError(`${rxspecifier}: a range needs a matrix, but the object is a vector`);
    return sliceMatrix(value, range, rxspecifier);
  }
  return value;
}

/** Reads one matrix from an rxfilename such as `feats.ark:1234[0:99]` (see {@link readObject}). */
export async function readMatrix(rxspecifier: string, opts: ReadObjectOptions = {}): Promise<Matrix> {
  const v = await readObject(rxspecifier, opts);
  if (!isMatrix(v)) {
    throw new TypeError(
      `${rxspecifier}: expected a matrix (FM, DM, CM, CM2, CM3 or text), found a ${v instanceof Int32Array ? 'int32 vector' : 'vector'}`,
    );
  }
  return v;
}
