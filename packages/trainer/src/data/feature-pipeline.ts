/** How raw features become network input; stored with a model so decode applies the same. */
export interface FeaturePipeline {
  /** Per-speaker CMVN from `cmvn.scp` and `utt2spk` (`apply-cmvn --utt2spk`), or none. */
  cmvn: 'speaker' | 'none';
  /** `--norm-vars`. */
  normVars: boolean;
  /** `add-deltas --delta-order` (0 for none). */
  deltaOrder: number;
}

/** The reference's pipeline (egs/wsj_NAS/preprocess.sh): per-speaker CMVN, then deltas and delta-deltas. */
export const DEFAULT_PIPELINE: FeaturePipeline = { cmvn: 'speaker', normVars: true, deltaOrder: 2 };
