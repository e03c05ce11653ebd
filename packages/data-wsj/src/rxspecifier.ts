// Kaldi rxfilenames and rspecifiers: `file`, `file:offset`, `file:offset[r1:r2,c1:c2]`, `cmd |`, and
// the `ark:` prefix. Pipes run a shell, so they are refused unless the caller opts in.
import { spawn } from 'node:child_process';
import { type ByteReader, openFileReader, SEQUENTIAL_CHUNK, streamReader } from './byte-reader.ts';

/** Options shared by every reader that may meet a pipe. */
export interface PipeOptions {
  /** Run `cmd |` specifiers through `sh -c`. Off by default: a file's contents never start a shell. */
  allowPipes?: boolean;
}

/** An inclusive Kaldi range; `undefined` bounds mean "all". */
export interface MatrixRange {
  rows?: [number, number];
  cols?: [number, number];
}

/** A parsed rxfilename. */
export type Rxspec =
  | { kind: 'file'; path: string; offset: number | undefined; range: MatrixRange | undefined }
  | { kind: 'pipe'; command: string; range: MatrixRange | undefined };

/** Thrown when a pipe is met without `allowPipes: true`. */
export class PipeNotAllowedError extends Error {
  override name = 'PipeNotAllowedError';
  constructor(spec: string, where: string) {
    super(
      `${where}: ${JSON.stringify(spec)} is a pipe (ends with '|'); pipes run a shell command, so they ` +
        'are refused unless you pass { allowPipes: true }',
    );
  }
}

function parseRangePart(part: string, spec: string): [number, number] | undefined {
  const p = part.trim();
  if (p === '' || p === ':') return undefined;
  const m = /^(\d+):(\d+)$/.exec(p);
  if (!m)
    throw new Error(`${spec}: bad range ${JSON.stringify(part)}: expected r1:r2 (inclusive), ':' or nothing`);
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (b < a) throw new Error(`${spec}: bad range ${JSON.stringify(part)}: end ${b} is before start ${a}`);
  return [a, b];
}

/** Parses `[r1:r2]`, `[r1:r2,c1:c2]`, `[:,c1:c2]` (Kaldi's inclusive ranges). */
export function parseRange(text: string, spec: string): MatrixRange {
  const parts = text.split(',');
  if (parts.length > 2) throw new Error(`${spec}: bad range [${text}]: expected [r1:r2] or [r1:r2,c1:c2]`);
  return {
    rows: parseRangePart(parts[0]!, spec),
    cols: parts.length > 1 ? parseRangePart(parts[1]!, spec) : undefined,
  };
}

/** Parses an rxfilename (the value part of an scp line). */
export function parseRxspec(spec: string): Rxspec {
  let s = spec.trim();
  let range: MatrixRange | undefined;
  const rm = /\[([^\][]*)\]$/.exec(s);
  if (rm) {
    range = parseRange(rm[1]!, spec);
    s = s.slice(0, rm.index).trimEnd();
  }
  if (s.endsWith('|')) return { kind: 'pipe', command: s.slice(0, -1).trim(), range };
  const om = /^(.*):(\d+)$/.exec(s);
  if (om && om[1] !== '') return { kind: 'file', path: om[1]!, offset: Number(om[2]), range };
  return { kind: 'file', path: s, offset: undefined, range };
}

/** Strips a leading `ark:` / `ark,t:` / `ark,s,cs:` from an rspecifier. */
export function stripArkPrefix(spec: string): string {
  const m = /^ark(,[a-z]+)*:/.exec(spec);
  return m ? spec.slice(m[0].length) : spec;
}

/** Runs `command` with `sh -c` and reads its stdout; closing checks the exit status. */
export function openPipeReader(command: string): ByteReader {
  const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 4000) stderr += d;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  let finished = false;
  child.stdout.on('end', () => {
    finished = true;
  });
  const name = `pipe ${JSON.stringify(command)}`;
  return streamReader(child.stdout, name, async () => {
    if (!finished) {
      // The consumer stopped early: end the producer instead of leaving it blocked on a full pipe.
      child.kill();
      await exited.catch(() => null);
      return;
    }
    const code = await exited;
    if (code !== 0) {
      throw new Error(`${name} exited with status ${code}${stderr ? `: ${stderr.trim().slice(-1000)}` : ''}`);
    }
  });
}

/** Opens the input named by a parsed rxspec, refusing pipes unless allowed. */
export async function openRx(
  rx: Rxspec,
  original: string,
  opts: PipeOptions,
  where: string,
  chunk = SEQUENTIAL_CHUNK,
): Promise<ByteReader> {
  if (rx.kind === 'pipe') {
    if (!opts.allowPipes) throw new PipeNotAllowedError(original, where);
    return openPipeReader(rx.command);
  }
  return openFileReader(rx.path, rx.offset ?? 0, undefined, chunk);
}
