import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { InputError } from './errors';

/** Makes a directory (and parents). */
export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Reads a JSON file, with an error naming it when missing or malformed. */
export function readJson<T>(file: string, what: string): T {
  if (!existsSync(file)) throw new InputError(`${what} ${file} does not exist`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new InputError(`${file} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}
