/** A parsed op name of the reference library (thu-spmi/ST-NAS modules/Edge.py `op_init`). */
export type OpSpec =
  | {
      readonly kind: 'tdnn';
      /** Half-context C: the kernel spans 2C+1 taps. */
      readonly halfContext: number;
      /** Stride S. */
      readonly stride: number;
      /** Dilation D. */
      readonly dilation: number;
      /** Normalisation after the ReLU: LayerNorm or length-masked BatchNorm. */
      readonly norm: 'ln' | 'bn';
    }
  | { readonly kind: 'lstm' | 'blstm' | 'gru' | 'bgru' | 'identity' | 'zero' | 'linear' };

const SIMPLE = new Set(['lstm', 'blstm', 'gru', 'bgru', 'identity', 'zero', 'linear']);

function field(spec: string, letter: string, fallback: number, name: string): number {
  // Like the reference's `re.search(r'(?<=C)\d+', ...)`: the first run of digits after the letter,
  // defaulting when the letter is absent.
  const m = new RegExp(`${letter}(\\d+)`).exec(spec);
  if (!m) return fallback;
  const v = Number(m[1]);
  if (!(v >= 1)) throw new Error(`parseOpName: "${name}" has ${letter}${m[1]}; expected ${letter} >= 1`);
  return v;
}

/**
 * Parses an op name such as `tdnn-C2S1D2Nln`, `blstm` or `identity`. Missing TDNN fields default
 * as in the reference (C1, S1, D1, Nln); anything else throws an error naming the op.
 */
export function parseOpName(name: string): OpSpec {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`parseOpName: expected a non-empty op name string, got ${JSON.stringify(name)}`);
  }
  const dash = name.indexOf('-');
  const layer = dash < 0 ? name : name.slice(0, dash);
  if (layer === 'tdnn') {
    const spec = dash < 0 ? '' : name.slice(dash + 1);
    if (!/^(C\d+|S\d+|D\d+|N(ln|bn))*$/.test(spec)) {
      throw new Error(
        `parseOpName: cannot parse "${name}"; expected tdnn-C<int>S<int>D<int>N<ln|bn> (fields optional)`,
      );
    }
    const norm = /N(ln|bn)/.exec(spec)?.[1] ?? 'ln';
    return {
      kind: 'tdnn',
      halfContext: field(spec, 'C', 1, name),
      stride: field(spec, 'S', 1, name),
      dilation: field(spec, 'D', 1, name),
      norm: norm as 'ln' | 'bn',
    };
  }
  if (dash < 0 && SIMPLE.has(layer)) return { kind: layer as 'lstm' };
  throw new Error(
    `parseOpName: unknown op "${name}"; expected tdnn-C{c}S{s}D{d}N{ln|bn}, lstm, blstm, gru, bgru, identity, zero or linear`,
  );
}

/** The canonical name of a parsed op (`tdnn-C{c}S{s}D{d}N{norm}` for TDNNs, as the reference prints). */
export function formatOpName(spec: OpSpec): string {
  if (spec.kind === 'tdnn') return `tdnn-C${spec.halfContext}S${spec.stride}D${spec.dilation}N${spec.norm}`;
  return spec.kind;
}
