#!/usr/bin/env node
// The `stnas` bin (dist/cli.js): a two-line shell over `main` in cli/main.ts, which tests call in-process.
import { main } from './cli/main';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
