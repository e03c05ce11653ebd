// Node shims that let @tensorflow/tfjs-backend-wasm 4.22 run its threaded SIMD binary in Node.
// The backend was written for browsers and turns threads off in Node (tfjs issue #3830) because:
//  1. it starts each pthread worker from a `blob:` URL, which Node's worker_threads refuses;
//  2. it posts its emscripten glue to the workers as a Blob of the bundled factory's source, which
//     references the bundle's own `require$$N` variables and so cannot run in a worker;
//  3. its C++ side caps XNNPACK at half the logical cores (`emscripten_num_logical_cores() / 2`,
//     tfjs-backend-wasm/src/cc/backend.cc), which is 1 thread on a 2-core machine.
// Nothing in node_modules is patched. Instead, for the duration of the backend's start only,
// `URL.createObjectURL` returns the path of a worker script written to os.tmpdir() and `os.cpus()`
// reports twice the requested thread count; both are restored before `startThreaded` returns. The
// worker script is the package's own `wasm-out/*.worker.js` with a two-line prelude that makes the
// worker load the package's own `wasm-out` glue file instead of the posted Blob.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** XNNPACK's pool is backed by 8 pre-started workers (tfjs-backend-wasm cc/BUILD); more cannot run. */
export const MAX_WASM_THREADS = 8;

const GLUE = 'tfjs-backend-wasm-threaded-simd.js';
const WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';

function wasmOutDir(): string {
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

// The feature test tfjs runs in browsers (from GoogleChromeLabs/wasm-feature-detect): a module
// using shared memory and an atomic load.
const THREADS_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254,
  16, 2, 0, 26, 11,
]);

// Node has the WebAssembly global, but @types/node 20 does not declare it (only lib.dom does).
const wasmApi = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } })
  .WebAssembly;

/** Why wasm threads cannot run in this process, as one line, or undefined when they can. */
export function wasmThreadsProblem(): string | undefined {
  if (typeof SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is not available in this runtime';
  try {
    if (!wasmApi.validate(THREADS_PROBE)) return 'this runtime does not support WebAssembly threads';
  } catch (err) {
    return `WebAssembly threads check failed: ${(err as Error).message}`;
  }
  const dir = wasmOutDir();
  for (const f of [GLUE, WORKER]) {
    if (!fs.existsSync(path.join(dir, f))) return `${path.join(dir, f)} is missing`;
  }
  return undefined;
}

/**
 * Writes the pthread worker script to os.tmpdir() under a name derived from its content (so
 * concurrent processes agree, and a stale or tampered file is never used) and returns its path.
 * The write is atomic: a temp file renamed into place.
 */
export function writeWorkerScript(dir = os.tmpdir()): string {
  const out = wasmOutDir();
  const glue = path.join(out, GLUE);
  const { wasmWorkerContents } = require(path.join(out, WORKER)) as { wasmWorkerContents: string };
  if (typeof wasmWorkerContents !== 'string')
    throw new Error(`${path.join(out, WORKER)} exports no wasmWorkerContents`);
  const content = [
    '"use strict";',
    '// Written by @stnas/engine: tfjs-backend-wasm posts its glue as a Blob that Node cannot',
    '// import, so every object URL in this worker resolves to the package glue file instead.',
    `URL.createObjectURL = function () { return ${JSON.stringify(glue)}; };`,
    'URL.revokeObjectURL = function () {};',
    // The export holds real newlines inside string literals; tfjs escapes them the same way.
    wasmWorkerContents.replace(/\n/g, '\\n'),
    '',
  ].join('\n');
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
  const file = path.join(dir, `stnas-tfjs-wasm-worker-${hash}.cjs`);
  try {
    if (fs.readFileSync(file, 'utf8') === content) return file;
  } catch {
    // Not there yet (or unreadable): write it below.
  }
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, content, { mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return file;
}

/** The slice of the emscripten module this file touches. */
interface PThreadModule {
  PThread?: { runningWorkers?: { unref?: () => void }[] };
}

/**
 * Runs `start` (which must start the wasm backend) with the Node shims installed, then lets the
 * process exit while XNNPACK's pool workers wait for work: emscripten `ref()`s a worker while
 * its pthread runs, and XNNPACK's pool threads run for the life of the process.
 */
export async function startThreaded<T>(
  threads: number,
  workerFile: string,
  start: () => Promise<T>,
  moduleOf: () => PThreadModule | undefined,
): Promise<T> {
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  // Only the worker script is a Blob of type application/javascript; the glue Blob (text/javascript)
  // goes to the workers by postMessage and never through createObjectURL on this thread.
  URL.createObjectURL = (obj: Blob) =>
    obj instanceof Blob && obj.type === 'application/javascript'
      ? workerFile
      : createObjectURL.call(URL, obj);
  // The C++ side uses half of `os.cpus().length` as its thread cap.
  os.cpus = () => {
    const real = cpus.call(os);
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]!);
  };
  try {
    const result = await start();
    for (const w of moduleOf()?.PThread?.runningWorkers ?? []) w.unref?.();
    return result;
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}
