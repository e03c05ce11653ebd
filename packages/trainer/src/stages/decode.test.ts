// `stnas decode --write-logits` streams each batch's logits to the ark as it is decoded: the writer
// is fed one batch at a time, the ark appears only when complete, and its bytes are those of the
// old writer (every utterance collected first, then one writeArk call).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ArkEntry, writeArk } from '@stnas/data-wsj';
import { buildModel, type StnasConfig } from '@stnas/search-space';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { corpus, fakeModelDir } from '../test-support';
import { writeCheckpoint } from '../training/checkpoint';
import { runDecode } from './decode';
import { modelVariables } from './stage-common';

// Counts, for every entry the ark writer pulls, how many batches had been decoded by then.
const seen = vi.hoisted(() => ({ batches: 0, pulls: [] as number[] }));
vi.mock('@stnas/data-wsj', async (importOriginal) => {
  const real = await importOriginal<typeof import('@stnas/data-wsj')>();
  return {
    ...real,
    writeArk: (file: string, entries: Iterable<ArkEntry> | AsyncIterable<ArkEntry>, opts?: object) => {
      async function* watched() {
        for await (const e of entries) {
          seen.pulls.push(seen.batches);
          yield e;
        }
      }
      return real.writeArk(file, watched(), opts);
    },
  };
});

const tmp = mkdtempSync(path.join(tmpdir(), 'decode-logits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** fakeModelDir's one-block model with real (seeded random) weights, so it decodes. */
function modelDir(): string {
  const dir = fakeModelDir(path.join(tmp, 'model'));
  const m = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as { config: StnasConfig };
  const model = buildModel(m.config, { seed: 0 });
  const arrays = Object.fromEntries(
    [...modelVariables(model)].map(([name, v]) => [
      `var/${name}`,
      { shape: v.shape, data: v.dataSync() as Float32Array },
    ]),
  );
  model.dispose();
  writeCheckpoint(path.join(dir, 'weights.ckpt'), { state: {}, arrays });
  return dir;
}

describe('decode --write-logits', () => {
  const model = modelDir();
  const data = path.join(corpus, 'test');

  it('feeds the ark writer batch by batch, with the old writer bytes, the ark appearing at the end', async () => {
    const dir = path.join(tmp, 'new');
    mkdirSync(dir);
    const ark = path.join(dir, 'logits.ark');
    const old: ArkEntry[] = []; // what the old code collected before its one writeArk call
    const sizes: number[] = [];
    seen.batches = 0;
    seen.pulls = [];
    const r = await runDecode({
      model,
      data,
      beam: 0,
      lmWeight: 0,
      writeLogits: ark,
      batchSize: 2,
      maxUtts: 7,
      onLogProbs: (keys, { data: lp, shape: [, T, C] }, lengths) => {
        expect(existsSync(ark)).toBe(false);
        keys.forEach((key, b) => {
          const rows = lengths[b]!;
          const out = new Float32Array(rows * C);
          for (let k = 0; k < rows * C; k++) {
            const v = lp[b * T * C + k]!;
            out[k] = v === -Infinity ? -1e16 : v;
          }
          old.push({ key, value: { rows, cols: C, data: out } });
        });
        sizes.push(keys.length);
        seen.batches++;
      },
    });
    expect(r.utterances).toBe(7);
    expect(sizes.length).toBeGreaterThanOrEqual(4); // 7 utterances in batches of at most 2
    // The k-th batch's entries reach the writer before batch k+1 is decoded.
    expect(seen.pulls).toEqual(sizes.flatMap((n, k) => Array<number>(n).fill(k + 1)));
    const oldDir = path.join(tmp, 'old');
    mkdirSync(oldDir);
    await writeArk(path.join(oldDir, 'logits.ark'), old);
    expect(readFileSync(ark)).toEqual(readFileSync(path.join(oldDir, 'logits.ark')));
    expect(readFileSync(path.join(dir, 'logits.scp'), 'utf8')).toBe(
      readFileSync(path.join(oldDir, 'logits.scp'), 'utf8'),
    );
    expect(readdirSync(dir).sort()).toEqual(['logits.ark', 'logits.scp']);
  });

  it('leaves no ark and no temporary file when decoding fails part way', async () => {
    const dir = path.join(tmp, 'failed');
    mkdirSync(dir);
    let batches = 0;
    const run = runDecode({
      model,
      data,
      beam: 0,
      lmWeight: 0,
      writeLogits: path.join(dir, 'logits.ark'),
      batchSize: 2,
      maxUtts: 7,
      onLogProbs: () => {
        if (++batches === 3) throw new Error('batch 3 failed');
      },
    });
    await expect(run).rejects.toThrow('batch 3 failed');
    expect(readdirSync(dir)).toEqual([]);
  });
});
