import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const setup = fileURLToPath(new URL('./test/setup.ts', import.meta.url));

/** Settings every package's vitest project shares: source-first resolution and the tf setup. */
export const sharedConfig = defineConfig({
  resolve: { conditions: ['@stnas/source'] },
  ssr: { resolve: { conditions: ['@stnas/source'] } },
  test: {
    setupFiles: [setup],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Type tests (`*.test-d.ts`, expectTypeOf) pin each package's public signatures; they run with
    // the tests. Type errors elsewhere are `pnpm typecheck`'s to report, not the type tests'.
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], ignoreSourceErrors: true },
  },
});
