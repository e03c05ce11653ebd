import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InputError } from '../errors';

/**
 * The bundled corpus folder (train/, dev/, test/, lang/) of the `@stnas/corpus` package, found
 * through its package.json so it works from sources, a build or an npm install alike.
 */
export function corpusDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('@stnas/corpus/package.json');
  } catch {
    throw new InputError('the bundled corpus (@stnas/corpus) is not installed: npm install @stnas/corpus');
  }
  const dir = path.join(path.dirname(pkg), 'data');
  for (const sub of ['train', 'dev', 'test', 'lang']) {
    if (!existsSync(path.join(dir, sub)))
      throw new InputError(`the bundled corpus at ${dir} has no ${sub}/ folder`);
  }
  return dir;
}
