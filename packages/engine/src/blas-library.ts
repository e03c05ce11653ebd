import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

/** Which BLAS implementation a library is, judged by the symbols it exports. */
export type BlasVendor = 'openblas' | 'mkl' | 'blis' | 'accelerate' | 'cblas';

/** What was loaded: reported by `selectBackend` and `stnas doctor`. */
export interface BlasInfo {
  /** The file or soname that was loaded, e.g. `libopenblas.so.0`. */
  library: string;
  /** The implementation, from its exported symbols. */
  vendor: BlasVendor;
  /** The library's own configuration string (`openblas_get_config`, MKL's version string, ...). */
  config: string;
  /** Threads the library computes with. */
  threads: number;
  /** One line on anything stnas set for the library (e.g. OPENBLAS_CORETYPE), when it did. */
  note?: string;
}

/**
 * Row-major single-precision GEMM, `C = alpha op(A) op(B) + beta C`, with `op(A)` m x k and
 * `op(B)` k x n. `a`, `b` and `c` are views that start at the first element; on the wasm heap
 * they must be made right before the call (the heap can grow between calls).
 */
export type Sgemm = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
) => void;

/** A loaded BLAS: its facts and a synchronous `sgemm`. */
export interface Blas extends BlasInfo {
  /** `cblas_sgemm` in row-major order. */
  sgemm: Sgemm;
  /** Sets the library's thread count (a no-op where the library has no such call). */
  setThreads(threads: number): void;
}

/** The outcome of {@link loadBlas}: the library, or why none was loaded. */
export type BlasLoad =
  | { blas: Blas; reason?: undefined; tried: string[] }
  | { blas: undefined; reason: string; tried: string[] };

/** Options for {@link loadBlas}. */
export interface BlasOptions {
  /** `auto` (default) searches; `off` loads nothing. `STNAS_BLAS=off` also turns it off. */
  blas?: 'auto' | 'off';
  /** Threads for the library; default one per core. */
  threads?: number;
  /** Environment to read `STNAS_BLAS` from; default `process.env`. */
  env?: Record<string, string | undefined>;
}

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

type Koffi = typeof import('koffi');
type Lib = ReturnType<Koffi['load']>;

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.trim();
}

/** Library names to try, in order: OpenBLAS (pthread or openmp), MKL, BLIS, Accelerate. */
export function blasCandidates(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string[] {
  if (platform === 'darwin') {
    return [
      'libopenblas.dylib',
      '/opt/homebrew/opt/openblas/lib/libopenblas.dylib',
      '/usr/local/opt/openblas/lib/libopenblas.dylib',
      'libmkl_rt.2.dylib',
      'libmkl_rt.dylib',
      'libblis.4.dylib',
      '/System/Library/Frameworks/Accelerate.framework/Accelerate',
    ];
  }
  if (platform === 'win32')
    return ['libopenblas.dll', 'openblas.dll', 'mkl_rt.2.dll', 'mkl_rt.dll', 'libblis.4.dll'];
  const multiarch =
    arch === 'arm64' ? 'aarch64-linux-gnu' : arch === 'x64' ? 'x86_64-linux-gnu' : `${arch}-linux-gnu`;
  const dir = `/usr/lib/${multiarch}`;
  return [
    'libopenblas.so.0',
    `${dir}/openblas-pthread/libopenblas.so.0`,
    `${dir}/openblas-openmp/libopenblas.so.0`,
    'libopenblas.so',
    'libmkl_rt.so.2',
    'libmkl_rt.so',
    'libblis.so.4',
    `${dir}/blis-pthread/libblis.so.4`,
    `${dir}/blis-openmp/libblis.so.4`,
    'libblis.so',
  ];
}

/**
 * OpenBLAS's DYNAMIC_ARCH picks its kernels from the CPU model; OpenBLAS 0.3.21 (Debian 12) does
 * not know newer Xeons and falls back to its Prescott (SSE3) kernels, 4x slower than AVX-512.
 * OpenBLAS reads OPENBLAS_CORETYPE once, when it loads, so stnas sets it from the CPU's flags
 * unless the user did.
 */
function openblasCoreType(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let flags: Set<string>;
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('flags'));
    flags = new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    return undefined;
  }
  if (['avx512f', 'avx512bw', 'avx512vl', 'avx512dq'].every((f) => flags.has(f))) return 'SKYLAKEX';
  if (flags.has('avx2') && flags.has('fma')) return 'HASWELL';
  return undefined;
}

interface Opened {
  lib: Lib;
  name: string;
  note?: string;
}

function open(koffi: Koffi, name: string, env: Record<string, string | undefined>): Opened {
  const isOpenblas = /openblas/i.test(name);
  const hint = isOpenblas && !env.OPENBLAS_CORETYPE ? openblasCoreType() : undefined;
  if (hint) process.env.OPENBLAS_CORETYPE = hint;
  try {
    const lib = koffi.load(name);
    return hint ? { lib, name, note: `OPENBLAS_CORETYPE=${hint} set from the CPU's flags` } : { lib, name };
  } finally {
    // Only the load reads it; child processes (PyTorch in the benchmarks) keep their own detection.
    if (hint) delete process.env.OPENBLAS_CORETYPE;
  }
}

function tryFunc<T>(lib: Lib, decl: string): T | undefined {
  try {
    return lib.func(decl) as unknown as T;
  } catch {
    return undefined;
  }
}

function describe(
  lib: Lib,
  name: string,
): { vendor: BlasVendor; config: string; setThreads: (n: number) => void; getThreads?: () => number } {
  const openblasConfig = tryFunc<() => string>(lib, 'const char *openblas_get_config(void)');
  if (openblasConfig) {
    const set = tryFunc<(n: number) => void>(lib, 'void openblas_set_num_threads(int)');
    const get = tryFunc<() => number>(lib, 'int openblas_get_num_threads(void)');
    return { vendor: 'openblas', config: openblasConfig(), setThreads: (n) => set?.(n), getThreads: get };
  }
  const mklVersion = tryFunc<(buf: Buffer, len: number) => void>(
    lib,
    'void mkl_get_version_string(_Out_ char *buf, int len)',
  );
  if (mklVersion) {
    const buf = Buffer.alloc(256);
    mklVersion(buf, buf.length);
    const set = tryFunc<(n: number) => void>(lib, 'void MKL_Set_Num_Threads(int)');
    const get = tryFunc<() => number>(lib, 'int MKL_Get_Max_Threads(void)');
    return {
      vendor: 'mkl',
      config: buf.toString('utf8').replace(/\0.*$/s, '').trim(),
      setThreads: (n) => set?.(n),
      getThreads: get,
    };
  }
  const blisVersion = tryFunc<() => string>(lib, 'const char *bli_info_get_version_str(void)');
  if (blisVersion) {
    const set = tryFunc<(n: number) => void>(lib, 'void bli_thread_set_num_threads(int64_t)');
    const get = tryFunc<() => number>(lib, 'int64_t bli_thread_get_num_threads(void)');
    return {
      vendor: 'blis',
      config: `BLIS ${blisVersion()}`,
      setThreads: (n) => set?.(n),
      getThreads: get ? () => Number(get()) : undefined,
    };
  }
  if (/Accelerate/.test(name))
    return { vendor: 'accelerate', config: 'Apple Accelerate (vecLib)', setThreads: () => {} };
  return { vendor: 'cblas', config: 'a CBLAS library of unknown make', setThreads: () => {} };
}

/** Multiplies two 2x3/3x2 matrices and compares with the closed form: a wrong ABI fails here. */
function selfTest(sgemm: Sgemm): string | undefined {
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const b = new Float32Array([7, 8, 9, 10, 11, 12]);
  const c = new Float32Array([1, 1, 1, 1]);
  sgemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 1, c, 2);
  const want = [59, 65, 140, 155];
  const t = new Float32Array([0, 0, 0, 0]);
  sgemm(
    true,
    true,
    2,
    2,
    3,
    1,
    new Float32Array([1, 4, 2, 5, 3, 6]),
    2,
    new Float32Array([7, 9, 11, 8, 10, 12]),
    3,
    0,
    t,
    2,
  );
  const wantT = [58, 64, 139, 154];
  return want.every((v, i) => c[i] === v) && wantT.every((v, i) => t[i] === v)
    ? undefined
    : `cblas_sgemm gave [${[...c]}] / [${[...t]}] for a 2x3 by 3x2 product instead of [${want}] / [${wantT}]`;
}

function bind(koffi: Koffi, opened: Opened, threads: number): Blas {
  const { lib, name } = opened;
  const raw = lib.func(
    'void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc)',
  ) as unknown as (...args: unknown[]) => void;
  void koffi;
  const sgemm: Sgemm = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
    raw(
      ROW_MAJOR,
      transA ? TRANS : NO_TRANS,
      transB ? TRANS : NO_TRANS,
      m,
      n,
      k,
      alpha,
      a,
      lda,
      b,
      ldb,
      beta,
      c,
      ldc,
    );
  const problem = selfTest(sgemm);
  if (problem) throw new Error(problem);
  const facts = describe(lib, name);
  facts.setThreads(threads);
  const blas: Blas = {
    library: name,
    vendor: facts.vendor,
    config: facts.config,
    threads: facts.getThreads?.() ?? threads,
    sgemm,
    setThreads(n: number) {
      facts.setThreads(n);
      blas.threads = facts.getThreads?.() ?? n;
    },
  };
  if (opened.note) blas.note = opened.note;
  return blas;
}

let koffiModule: Koffi | undefined;
let koffiProblem: string | undefined;
const loaded = new Map<string, Blas>();

function loadKoffi(): Koffi | undefined {
  if (koffiModule || koffiProblem) return koffiModule;
  try {
    koffiModule = createRequire(import.meta.url)('koffi') as Koffi;
  } catch (err) {
    koffiProblem = `the koffi FFI could not load (${oneLine(err)})`;
  }
  return koffiModule;
}

/**
 * Finds and loads the machine's BLAS through koffi: `STNAS_BLAS=/path/to/lib` when set (or
 * `STNAS_BLAS=off`), else OpenBLAS, MKL, BLIS, then Apple Accelerate. The library must pass a
 * small `cblas_sgemm` self-test. Never throws: without a usable library it says why in `reason`.
 * A library is loaded once per process; later calls set its threads again.
 */
export function loadBlas(options: BlasOptions = {}): BlasLoad {
  const env = options.env ?? process.env;
  const threads = options.threads ?? os.availableParallelism();
  const fromEnv = env.STNAS_BLAS?.trim();
  if (options.blas === 'off') return { blas: undefined, reason: 'BLAS turned off (--blas off)', tried: [] };
  if (fromEnv === 'off') return { blas: undefined, reason: 'BLAS turned off by STNAS_BLAS=off', tried: [] };
  const koffi = loadKoffi();
  if (!koffi) return { blas: undefined, reason: koffiProblem!, tried: [] };
  const names = fromEnv ? [fromEnv] : blasCandidates();
  const tried: string[] = [];
  let lastProblem = '';
  for (const name of names) {
    const cached = loaded.get(name);
    if (cached) {
      if (cached.threads !== threads) cached.setThreads(threads);
      return { blas: cached, tried: [...tried, name] };
    }
    tried.push(name);
    let opened: Opened;
    try {
      opened = open(koffi, name, env);
    } catch (err) {
      lastProblem = `${name}: ${oneLine(err)}`;
      continue;
    }
    try {
      const blas = bind(koffi, opened, threads);
      loaded.set(name, blas);
      return { blas, tried };
    } catch (err) {
      lastProblem = `${name} has no working cblas_sgemm (${oneLine(err)})`;
      if (fromEnv) break;
    }
  }
  const reason = fromEnv
    ? `STNAS_BLAS=${fromEnv} could not be used: ${lastProblem.replace(`${fromEnv}: `, '')}`
    : `no BLAS library found (tried ${names.join(', ')}); install libopenblas0-pthread or set STNAS_BLAS=/path/to/libblas`;
  return { blas: undefined, reason, tried };
}
