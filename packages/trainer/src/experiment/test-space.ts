// Test support (not exported): a search space of its own, so the experiment tests do not follow
// changes of DEMO_CONFIG.

/** The paper's four TDNN candidates in every node of a 4-block MFRNet of 128 units, 41 classes. */
export const SPACE = {
  candidate: { base: ['tdnn-C1D1Nln', 'tdnn-C1D2Nln', 'tdnn-C2D1Nln', 'tdnn-C2D2Nln'] },
  net: 'MFRNet',
  net_configs: {
    block_list: [4],
    pos_subsample: 2,
    idim_sub: 128,
    odim_sub: 128,
    dropout_sub: 0.1,
    idim: 120,
    odims: [128],
    num_classes: 41,
    dropout: 0.1,
  },
};
