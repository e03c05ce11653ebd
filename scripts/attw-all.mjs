// Runs `attw --pack` on every publishable package and fails if any reports a problem.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

let failed = 0;
for (const dir of readdirSync('packages')) {
  const pkgDir = path.join('packages', dir);
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  const res = spawnSync('attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped'], {
    cwd: pkgDir,
    stdio: 'inherit',
    shell: false,
  });
  if (res.status !== 0) {
    console.error(`attw: ${manifest.name} has problems`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
