import { type Rank, slice, type Tensor3D, type Variable } from '@tensorflow/tfjs-core';
import { parseOpName } from './op-name';
import { type Op, tdnnOp, tdnnParams } from './ops';
import type { ParamStore } from './params';

/**
 * The candidates of one node with `weight_sharing: "entangled"`: every candidate reads one
 * superkernel of the node's largest context under `<prefix>.superkernel` (`.weight` [2Cmax+1,
 * idim, odim], `.bias`, `.norm.weight`, `.norm.bias`). A candidate of half-context C uses the
 * centre 2C+1 taps, with its own dilation, so `tdnn-C1D1` and `tdnn-C1D2` share all their weights
 * and `tdnn-C2*` adds the two outer taps (Single-Path NAS superkernels, Stamoulis et al. 2019;
 * Once-for-All elastic kernels, Cai et al. 2020). Paths through a supernet of independently
 * initialised candidates keep disagreeing and the warmup stalls on the CTC plateau at small scale
 * (docs/results.md, "the supernet and its recipe"); shared kernels train like one model.
 *
 * Every candidate must be a stride-1 TDNN with the same norm. The kernel is initialised as a
 * (2Cmax+1)-tap TDNN is (uniform in ±1/sqrt(idim·(2Cmax+1))).
 */
export function createEntangledTdnns(
  names: readonly string[],
  idim: number,
  odim: number,
  dropoutRate: number,
  store: ParamStore,
  prefix: string,
): Op[] {
  const specs = names.map((name) => {
    const spec = parseOpName(name);
    if (spec.kind !== 'tdnn' || spec.stride !== 1) {
      throw new Error(
        `${prefix}: weight_sharing "entangled" needs stride-1 TDNN candidates, got ${name} (among ${names.join(', ')})`,
      );
    }
    return spec;
  });
  const norm = specs[0]!.norm;
  if (specs.some((s) => s.norm !== norm)) {
    throw new Error(
      `${prefix}: weight_sharing "entangled" needs one norm for all candidates, got ${names.join(', ')}`,
    );
  }
  const cmax = Math.max(...specs.map((s) => s.halfContext));
  const taps = 2 * cmax + 1;
  const bound = 1 / Math.sqrt(idim * taps);
  const at = `${prefix}.superkernel`;
  const w = store.uniform<Variable<Rank.R3>>(`${at}.weight`, [taps, idim, odim], bound);
  const params = tdnnParams(store, at, specs[0]!, odim, bound);
  return names.map((name, i) => {
    const c = specs[i]!.halfContext;
    // The slice's gradient pads the candidate's taps back into the superkernel's.
    const kernel = () => (c === cmax ? w : (slice(w, [cmax - c, 0, 0], [2 * c + 1, idim, odim]) as Tensor3D));
    return tdnnOp(name, idim, odim, dropoutRate, params, kernel);
  });
}
