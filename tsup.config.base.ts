import type { Options } from 'tsup';

/** Shared tsup options: ESM only, .d.ts, Node 20 target. Packages spread this. */
export const baseConfig: Options = {
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
};
