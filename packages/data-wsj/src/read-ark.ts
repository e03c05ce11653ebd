import type { ByteReader } from './byte-reader.ts';
import { type ParseOptions, parseKey, parseObject } from './parse-object.ts';
import { openRx, type PipeOptions, parseRxspec, stripArkPrefix } from './rxspecifier.ts';
import type { ArkEntry, KaldiValue } from './types.ts';

/** Options for {@link readArk}. */
export interface ReadArkOptions extends PipeOptions, ParseOptions {}

/** Iterates the entries of an already opened reader (an ark body); closes it at the end. */
export async function* readArkFrom(r: ByteReader, opts: ParseOptions = {}): AsyncGenerator<ArkEntry> {
  let ok = false;
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
 */
export async function* readArk(path: string, opts: ReadArkOptions = {}): AsyncGenerator<ArkEntry> {
  const spec = stripArkPrefix(path);
  const rx = parseRxspec(spec);
  if (rx.range)
    throw new Error(`readArk(${JSON.stringify(path)}): ranges apply to single matrices; use readMatrix`);
  const r = await openRx(rx, spec, opts, `readArk(${JSON.stringify(path)})`);
  yield* readArkFrom(r, opts);
}
