// Dumps a Kaldi data dir as the trainer feeds it (per-speaker CMVN with norm-vars, deltas and
// delta-deltas, labels through the lexicon) to `<out>.f32` (every utterance's [frames, dim]
// float32 rows, concatenated) and `<out>.json` ({ dim, utts: [{ key, frames, offset, labels }] }),
// for the PyTorch warmup replica (warmup_replica.py). Uses the built trainer (`npx tsup` in
// packages/trainer).
// Usage: node packages/trainer/bench/export-features.mjs DATA_DIR LANG_DIR OUT_PREFIX
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PIPELINE, openStageSet, readLexicon, readUnits } from '@stnas/trainer';

const [dir, lang, out] = process.argv.slice(2);
if (!dir || !lang || !out) {
  console.error('usage: node export-features.mjs DATA_DIR LANG_DIR OUT_PREFIX');
  process.exit(2);
}
const lexicon = readLexicon(path.join(lang, 'lexicon.txt'));
const units = readUnits(path.join(lang, 'units.txt'));
// The stages' own reader (data-wsj's SpeechDataset), one utterance per batch in length order.
const set = await openStageSet(dir, {
  lexicon,
  units,
  pipeline: DEFAULT_PIPELINE,
  batching: { batchSize: 1, shuffle: false },
});
const utts = [];
const chunks = [];
let offset = 0;
for await (const b of set.batches()) {
  const [, frames, dim] = b.shape;
  const feats = b.x.slice(0, frames * dim);
  utts.push({ key: b.keys[0], frames, offset, labels: Array.from(b.labels[0]) });
  chunks.push(feats);
  offset += feats.length;
}
await set.close();
const all = new Float32Array(offset);
for (const [i, f] of chunks.entries()) all.set(f, utts[i].offset);
writeFileSync(`${out}.f32`, Buffer.from(all.buffer));
writeFileSync(`${out}.json`, JSON.stringify({ dim: set.dim, numClasses: units.names.length, utts }));
console.log(`${utts.length} utterances, ${set.dim} dims, ${units.names.length} units -> ${out}.{f32,json}`);
