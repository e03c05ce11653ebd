import type { StnasConfig } from './config';

/**
 * The paper's WSJ search space (thu-spmi/ST-NAS ASR/egs/wsj_NAS/config.json, also in
 * configs/wsj-stnas.json): an MFRNet of 6 blocks choosing among four TDNNs with LayerNorm, 640
 * units, 120-dim input, 72 phone units, the stride-3 TDNN inserted after block 2.
 */
export const WSJ_STNAS_CONFIG: StnasConfig = {
  candidate: { base: ['tdnn-C1D1Nln', 'tdnn-C1D2Nln', 'tdnn-C2D1Nln', 'tdnn-C2D2Nln'] },
  net: 'MFRNet',
  net_configs: {
    block_list: [6],
    pos_subsample: 3,
    idim_sub: 640,
    odim_sub: 640,
    dropout_sub: 0.5,
    idim: 120,
    odims: [640],
    num_classes: 72,
    dropout: 0.5,
  },
};

/**
 * A small search space a CPU can search in minutes (also in configs/demo-small.json): an MFRNet of 4
 * blocks of 128 units, 120-dim input, subsampling by 3 after block 2, each node choosing between the
 * narrowest and the widest of the WSJ candidates (C1D1, 3 frames; C2D2, 9 frames), which share one
 * superkernel per node (`weight_sharing: "entangled"`). At this scale the paper's independent
 * candidates leave the CTC plateau about 15 times later than one path does, and among four entangled
 * candidates the search does not settle: C1D2 and C2D1 differ too little from their neighbours
 * (docs/results.md, "the supernet and its recipe").
 */
export const DEMO_CONFIG: StnasConfig = {
  candidate: { base: ['tdnn-C1D1Nln', 'tdnn-C2D2Nln'] },
  net: 'MFRNet',
  net_configs: {
    block_list: [4],
    pos_subsample: 2,
    idim_sub: 128,
    odim_sub: 128,
    dropout_sub: 0.1,
    idim: 120,
    odims: [128],
    num_classes: 72,
    dropout: 0.1,
    weight_sharing: 'entangled',
  },
};
