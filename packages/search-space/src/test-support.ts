// Shared by the search-space tests only (never exported from index.ts).
import { createRng } from '@stnas/st-estimator';
import type { StnasConfig, WeightSharing } from './config';
import { DEMO_CONFIG } from './configs';

/** The paper's four TDNN candidates. */
export const PAPER_CANDIDATES = ['tdnn-C1D1Nln', 'tdnn-C1D2Nln', 'tdnn-C2D1Nln', 'tdnn-C2D2Nln'];

/** n seeded values uniform in [-1, 1), in float64. */
export function rand(n: number, seed: number): Float64Array {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => 2 * r.next() - 1);
}

/**
 * The demo's MFRNet shrunk for tests (6-dim input, 8 units, 5 outputs) with the paper's four
 * candidates in every node and the given weight sharing.
 */
export function tinyMfrNet(sharing: WeightSharing = 'independent'): StnasConfig {
  return {
    ...DEMO_CONFIG,
    candidate: { base: PAPER_CANDIDATES },
    net_configs: {
      ...DEMO_CONFIG.net_configs,
      idim: 6,
      odims: [8],
      idim_sub: 8,
      odim_sub: 8,
      num_classes: 5,
      weight_sharing: sharing,
    },
  };
}
