// Per-speaker CMVN statistics of prepareDataDir, read back from the shards' arks in output order as
// compute-cmvn-stats reads feats.scp after make_fbank.sh: the stored (compressed) values are what
// count. Shards are added in index order, so a speaker that spans shards accumulates its frames in
// the same order as one pass over feats.ark, and the stats do not depend on the shard size.
import { type Matrix, readArk } from '@stnas/data-wsj';
import { accCmvnStats } from './cmvn-stats';

/** Accumulates per-speaker CMVN stats over shard arks added in output order. */
export class ShardCmvn {
  private readonly acc = new Map<string, Float64Array>();

  /** `spkOf` maps each utterance to its speaker. */
  constructor(private readonly spkOf: ReadonlyMap<string, string>) {}

  /** Adds every utterance of the ark `file` (the next shard in output order). */
  async add(file: string): Promise<void> {
    for await (const { key, value } of readArk(file, { reuse: true })) {
      const spk = this.spkOf.get(key);
      if (spk === undefined) throw new Error(`${file}: utterance ${key} has no speaker`);
      const m = value as Matrix;
      let s = this.acc.get(spk);
      if (!s) {
        s = new Float64Array(2 * (m.cols + 1));
        this.acc.set(spk, s);
      }
      accCmvnStats(s, m, `${key} in ${file}`);
    }
  }

  /** The stats per speaker, as 2 x (D+1) matrices. */
  stats(): Array<{ key: string; value: Matrix }> {
    return [...this.acc].map(([key, s]) => ({ key, value: { rows: 2, cols: s.length / 2, data: s } }));
  }
}
