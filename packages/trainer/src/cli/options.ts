import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../errors';

/** Parsed option values as `node:util` parseArgs gives them. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** Reads a required or optional string option. */
export function str(v: OptionValues, name: string, fallback?: string): string {
  const x = v[name];
  if (typeof x === 'string' && x.length > 0) return x;
  if (fallback !== undefined) return fallback;
  throw new UsageError(`--${name} is required`);
}

/** Reads an integer option within [min, max]. */
export function int(
  v: OptionValues,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const x = v[name];
  if (x === undefined) return fallback;
  const n = Number(x);
  if (typeof x !== 'string' || !/^-?\d+$/.test(x.trim()) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? 'inf' : max}], got "${x}"`,
    );
  }
  return n;
}

/** Reads a number option within (or at) the bounds. */
export function num(
  v: OptionValues,
  name: string,
  fallback: number,
  min = -Infinity,
  max = Infinity,
  open = false,
): number {
  const x = v[name];
  if (x === undefined) return fallback;
  const n = Number(x);
  if (
    typeof x !== 'string' ||
    x.trim() === '' ||
    !Number.isFinite(n) ||
    n < min ||
    n > max ||
    (open && (n === min || n === max))
  ) {
    const lo = open ? '(' : '[';
    const hi = open ? ')' : ']';
    throw new UsageError(`--${name} must be a number in ${lo}${min}, ${max}${hi}, got "${x}"`);
  }
  return n;
}

/** Reads a choice option. */
export function choice<T extends string>(
  v: OptionValues,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const x = v[name];
  if (x === undefined) return fallback;
  if (!choices.includes(x as T))
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, not "${x}"`);
  return x as T;
}

/** Checks that a path option names an existing directory (or file with `kind: 'file'`). */
export function existing(path: string, name: string, kind: 'dir' | 'file' = 'dir'): string {
  if (!existsSync(path)) throw new UsageError(`--${name} ${path} does not exist`);
  const isDir = statSync(path).isDirectory();
  if (kind === 'dir' && !isDir) throw new UsageError(`--${name} ${path} is not a directory`);
  if (kind === 'file' && isDir) throw new UsageError(`--${name} ${path} is a directory, expected a file`);
  return path;
}
