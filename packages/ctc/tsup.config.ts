import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base';

// The worker pool starts dist/ctc-worker.js in worker threads, so it is a second entry.
export default defineConfig({ ...baseConfig, entry: ['src/index.ts', 'src/ctc-worker.ts'] });
