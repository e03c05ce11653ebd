import type { ByteReader } from './byte-reader.ts';
import { type ParseOptions, parseKey, parseObject } from './parse-object.ts';
import { openRx, type PipeOptions, parseRxspec, stripArkPrefix } from './rxspecifier.ts';
import type { ArkEntry, KaldiValue } from './types.ts';

/** Options for {@link readArk}. */
export interface ReadArkOptions extends PipeOptions, ParseOptions {
  /**
   * Streaming mode: float matrices and vectors are views into the reader's buffer, valid only until
   * the next iteration (like Kaldi's SequentialTableReader::Value() until Next()). Convert or copy
   * each value before asking for the next one. Default false: every value owns its data.
   */
  reuse?: boolean;
}

/** Iterates the entries of an already opened reader (an ark body); closes it at the end. */
export async function* readArkFrom(
  r: ByteReader,
  opts: ParseOptions & { reuse?: boolean } = {},
): AsyncGenerator<ArkEntry> {
  let ok = false;
  // Files: payloads are carved from slabs the file is read into (owned, no second copy).
  r.payloadMode = opts.reuse ? 'reuse' : r.end !== undefined ? 'slab' : 'copy';
  try {
    for (;;) {
      const key = await parseKey(r);
      if (key === null) break;
      const value: KaldiValue = await parseObject(r, opts);
      yield { key, value };
    }
    ok = true;
  } finally {
    if (ok) await r.close();
    else await r.close().catch(() => {});
  }
}

/**
 * Iterates `{ key, value }` over a binary or text ark (`FM`/`DM` matrices, `FV`/`DV` vectors,
 * `CM`/`CM2`/`CM3` compressed matrices decompressed as Kaldi does, int32 vectors). `path` may carry
 * an `ark:` prefix; `cmd |` runs only with `allowPipes: true`.
 *
 * By default every value owns its data: binary float payloads of a file are typed-array views into
 * large slabs the file was read into (aligned, valid forever; a slab stays alive while any of its
 * views does), so `data.buffer` may be shared; use `data.byteOffset`/`data.byteLength`. With
 * `reuse: true` binary float payloads are views valid only until the next iteration (see
 * {@link ReadArkOptions.reuse}); compressed, text and int32 values are always freshly allocated.
 */
export async function* readArk(path: string, opts: ReadArkOptions = {}): AsyncGenerator<ArkEntry> {
  const spec = stripArkPrefix(path);
  const rx = parseRxspec(spec);
  if (rx.range)
    throw new Error(`readArk(${JSON.stringify(path)}): ranges apply to single matrices; use readMatrix`);
  const r = await openRx(rx, spec, opts, `readArk(${JSON.stringify(path)})`);
  yield* readArkFrom(r, opts);
}
