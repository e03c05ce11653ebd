// `pnpm bench [filter]`: runs every packages/*/bench/*.bench.ts (or those whose path contains the
// filter) one after another, so no two benchmarks share the machine. Each prints its table and
// records it in docs/benchmarks.md through bench/report.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const filter = process.argv[2] ?? '';
const files = [];
for (const dir of ['packages', 'tools']) {
  if (!existsSync(dir)) continue;
  for (const pkg of readdirSync(dir)) {
    const benchDir = path.join(dir, pkg, 'bench');
    if (!existsSync(benchDir)) continue;
    for (const f of readdirSync(benchDir)) {
      if (f.endsWith('.bench.ts')) files.push(path.join(benchDir, f));
    }
  }
}
const chosen = files.filter((f) => f.includes(filter)).sort();
if (chosen.length === 0) {
  console.error(`no benchmark matches "${filter}" (have: ${files.join(', ') || 'none'})`);
  process.exit(1);
}
let failed = 0;
for (const file of chosen) {
  console.log(`\n== ${file}`);
  const res = spawnSync('tsx', ['--conditions=@stnas/source', file], { stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
