#!/usr/bin/env node
// Fails when relative imports inside packages/*/src or tools/*/src form a cycle, naming each one.
// Every import counts: static, dynamic (`import('./x')`), re-exports and `import type`, since a
// type-only cycle is still two files that cannot be understood one without the other.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPEC = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every .ts/.mts/.tsx file under `dir`. */
function sources(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(m?ts|tsx)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The file a relative specifier names, as TypeScript's bundler resolution would find it. */
function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.mts`, `${stem}.tsx`, path.join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

const files = [];
for (const group of ['packages', 'tools']) {
  const dir = path.join(root, group);
  if (!existsSync(dir)) continue;
  for (const pkg of readdirSync(dir)) {
    const src = path.join(dir, pkg, 'src');
    if (existsSync(src)) files.push(...sources(src));
  }
}

const graph = new Map();
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const deps = new Set();
  for (const m of text.matchAll(SPEC)) {
    const target = resolve(f, m[1]);
    if (target) deps.add(target);
  }
  graph.set(f, [...deps]);
}

// Tarjan's strongly connected components: every component with more than one file (or a file
// importing itself) holds a cycle; one shortest cycle through it is printed.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function strongConnect(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      strongConnect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(comp);
  }
}
for (const f of graph.keys()) if (!idx.has(f)) strongConnect(f);

/** A shortest path back to `start` inside `members` (breadth-first). */
function cycleThrough(start, members) {
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (w === start) {
        const pathBack = [v];
        for (let p = prev.get(v); p; p = prev.get(p)) pathBack.push(p);
        return [...pathBack.reverse(), start];
      }
      if (members.has(w) && !prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const rel = (f) => path.relative(root, f);
if (components.length === 0) {
  console.log(`no import cycles in ${files.length} source files`);
} else {
  for (const comp of components) {
    const start = comp.sort()[0];
    console.error(`import cycle: ${cycleThrough(start, new Set(comp)).map(rel).join(' -> ')}`);
  }
  process.exit(1);
}
