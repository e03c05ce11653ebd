// `pnpm --filter @stnas/make-corpus generate [--seed N] [--out DIR]`: regenerates the bundled corpus.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './generate';
import { DEFAULT_SEED } from './plan';

/** Parses `--seed` and `--out` and runs the generator; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let seed = DEFAULT_SEED;
  let out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../packages/corpus/data');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--out') out = path.resolve(argv[++i] ?? '');
    else {
      console.error(`make-corpus: unknown argument ${JSON.stringify(a)} (expected --seed N, --out DIR)`);
      return 2;
    }
  }
  if (!Number.isInteger(seed)) {
    console.error('make-corpus: --seed must be an integer');
    return 2;
  }
  const summary = await generateCorpus({ outDir: out, seed, log: (l) => console.log(l) });
  console.log(JSON.stringify(summary, null, 2));
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`make-corpus: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
