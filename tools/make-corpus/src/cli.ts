// `pnpm --filter @stnas/make-corpus generate [--seed N] [--out DIR] [--speed-perturb 0.9,1.0,1.1]`:
// regenerates the bundled corpus (speed perturbation adds `sp<F>-` copies of the train split).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './generate';
import { DEFAULT_SEED } from './plan';

/** Parses `--seed`, `--out` and `--speed-perturb` and runs the generator; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let seed = DEFAULT_SEED;
  let speedPerturb: number[] | undefined;
  let out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../packages/corpus/data');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--out') out = path.resolve(argv[++i] ?? '');
    else if (a === '--speed-perturb') {
      const v = argv[++i] ?? '';
      speedPerturb = v.split(',').map(Number);
      if (!/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/.test(v)) {
        console.error(
          `make-corpus: --speed-perturb expects factors like 0.9,1.0,1.1, got ${JSON.stringify(v)}`,
        );
        return 2;
      }
    } else {
      console.error(
        `make-corpus: unknown argument ${JSON.stringify(a)} (expected --seed N, --out DIR, --speed-perturb 0.9,1.0,1.1)`,
      );
      return 2;
    }
  }
  if (!Number.isInteger(seed)) {
    console.error('make-corpus: --seed must be an integer');
    return 2;
  }
  const summary = await generateCorpus({ outDir: out, seed, speedPerturb, log: (l) => console.log(l) });
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
