import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base';

// prepareDataDir starts dist/prepare-worker.js in worker threads, so it is a second entry.
export default defineConfig({ ...baseConfig, entry: ['src/index.ts', 'src/prepare-worker.ts'] });
