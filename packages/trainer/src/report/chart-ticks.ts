// Axis ticks for the report's charts. Steps and epochs are counts, so their axes get integer
// ticks: a tick such as 23.25 names no step that exists.

const count = (min: number, max: number, step: number) =>
  Math.floor(max / step + 1e-9) - Math.ceil(min / step - 1e-9) + 1;

/** The smallest "nice" spacing (1, 2 or 5 times a power of ten) giving at most `maxTicks` ticks in [min, max]. */
export function niceStep(min: number, max: number, maxTicks: number): number {
  const span = max - min;
  if (!(span > 0)) return 1;
  let pow = 10 ** Math.floor(Math.log10(span / Math.max(1, maxTicks)));
  for (;;) {
    for (const m of [1, 2, 5]) if (count(min, max, m * pow) <= Math.max(1, maxTicks)) return m * pow;
    pow *= 10;
  }
}

/** Evenly spaced round ticks over [min, max]; with `integer`, integers only (spacing at least 1). */
export function axisTicks(
  min: number,
  max: number,
  o: { maxTicks?: number; integer?: boolean } = {},
): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return [];
  if (max === min) return [o.integer ? Math.round(min) : min];
  let step = niceStep(min, max, o.maxTicks ?? 6);
  if (o.integer) step = Math.max(1, step);
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}
