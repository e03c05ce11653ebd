#!/usr/bin/env node
// Fails when a tracked file refers to a folder beside the repository (the developers' read-only
// reference folder, by a relative or an absolute path): a user's clone has nothing beside it, so tests,
// benchmarks, scripts and docs must use what the repository holds (fixtures live in fixtures/).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Spelled in pieces so this file does not match itself.
const name = ['sha', 'red'].join('');
const outside = new RegExp(
  [
    `\\.\\./${name}\\b`, // a relative path up and into it
    `/work/${name}\\b`, // the absolute path on the developers' machines
    `['"]\\.\\.['"]\\s*,\\s*['"]${name}['"]`, // the same, spelled as path.join segments
  ].join('|'),
);

const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter(Boolean);
const hits = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(path.join(root, file), 'utf8');
  } catch {
    continue; // deleted in the work tree but still in the index
  }
  if (text.includes('\0')) continue; // binary fixture
  text.split('\n').forEach((line, i) => {
    if (outside.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
  });
}
if (hits.length > 0) {
  console.error(
    `${hits.length} reference(s) to a folder outside the repository (copy what is needed into it):`,
  );
  for (const h of hits) console.error(`  ${h}`);
  process.exit(1);
}
console.log(`no references outside the repository in ${files.length} tracked files`);
