// Helpers every benchmark uses: timing with medians, the machine's description, and recording a
// table in docs/benchmarks.md under its own heading (replacing the previous run's section).
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docPath = path.join(root, 'docs', 'benchmarks.md');

/** Median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `fn` `warmup` times untimed, then `reps` times, returning each run's milliseconds. */
export async function timeIt(fn: () => unknown | Promise<unknown>, reps = 5, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** One line describing this machine, for the record. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

/** The 1-minute load average, so a reader can tell whether the machine was idle. */
export function loadAverage(): string {
  return os.loadavg()[0]!.toFixed(2);
}

/** Formats rows as a Markdown table. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Prints `body` and records it in docs/benchmarks.md under `## title`, with the machine and date,
 * replacing any earlier section of the same title. The file is written atomically.
 */
export function record(title: string, body: string, notes = ''): void {
  const date = new Date().toISOString().slice(0, 10);
  let python = '';
  try {
    python = execSync('/usr/bin/python3 -c "import torch;print(torch.__version__)"', {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    python = 'not installed';
  }
  const section = [
    `## ${title}`,
    '',
    `Measured ${date} on ${machine()}; load average at start ${loadAverage()}; torch ${python}.`,
    '',
    body,
    ...(notes ? ['', notes] : []),
    '',
  ].join('\n');
  console.log(`\n${section}`);
  const head =
    '# Benchmarks\n\nRecorded by `pnpm bench` (see scripts/bench.mjs). Each section is replaced when its benchmark runs again.\n\n';
  const old = existsSync(docPath) ? readFileSync(docPath, 'utf8') : head;
  const re = new RegExp(`## ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n## |$)`);
  const next = re.test(old) ? old.replace(re, section.trimEnd() + '\n') : `${old.trimEnd()}\n\n${section}`;
  const tmp = `${docPath}.tmp-${process.pid}`;
  writeFileSync(tmp, next.endsWith('\n') ? next : `${next}\n`);
  renameSync(tmp, docPath);
}
