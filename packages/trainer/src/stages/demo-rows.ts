// The models a demo compares, and which of them need no training of their own: a row whose
// architecture equals an earlier row's is the same network trained the same way, so the demo
// reports it as "same as ..." instead of training it twice.

/** One model a demo trains and decodes: a row of its table. */
export interface DemoModel {
  /** The row's name, e.g. `baseline-large (tdnn-C2D2Nln x4)`. */
  name: string;
  /** Its folder in the run directory. */
  dir: string;
  /** One op per node. */
  ops: readonly string[];
}

/** For each model, the index of the first earlier model with the same ops, or -1 when none has. */
export function duplicateOf(models: readonly Pick<DemoModel, 'ops'>[]): number[] {
  const first = new Map<string, number>();
  return models.map((m, k) => {
    const key = m.ops.join(' ');
    const seen = first.get(key);
    if (seen !== undefined) return seen;
    first.set(key, k);
    return -1;
  });
}

/** What the table prints for a row that repeats an earlier one: "same as searched" for the first row. */
export function sameAsLabel(sameAs: string, firstRowName: string | undefined): string {
  return `same as ${sameAs === firstRowName ? 'searched' : sameAs}`;
}
