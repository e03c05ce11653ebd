#!/usr/bin/env bash
# The README's test command: install from the lockfile (fast when already installed), run every
# package's tests once, and end with one plain summary line ("N passed, N failed, N skipped").
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM="npx -y pnpm@12.4.2"
$PNPM install --frozen-lockfile --reporter=silent
report="$(mktemp -t stnas-vitest-XXXXXX.json)"
status=0
$PNPM exec vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const skipped = r.numPendingTests + r.numTodoTests;
// One line per missing tool, from the tag skipped titles carry (test/system-tools.ts `needs`):
// "skipped 3 report-render tests: no Chromium (apt-get install chromium)".
const lines = new Map();
for (const file of r.testResults) {
  for (const t of file.assertionResults) {
    if (!["pending", "skipped", "todo"].includes(t.status)) continue;
    const m = /\[(.+?) tests need (.+?): (apt-get install [^\]]+)\]/.exec([...t.ancestorTitles, t.title].join(" "));
    const where = require("path").relative(process.cwd(), file.name);
    const [head, tail] = m ? [m[1] + " tests", `: no ${m[2]} (${m[3]})`] : ["tests", ` in ${where}`];
    const seen = lines.get(head + tail) ?? { head, tail, n: 0 };
    seen.n++;
    lines.set(head + tail, seen);
  }
}
for (const { head, tail, n } of lines.values()) console.log(`skipped ${n} ${head}${tail}`);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
if (r.numTotalTests === 0) { console.error("no tests ran"); process.exit(1); }
' "$report" || status=1
rm -f "$report"
exit "$status"
