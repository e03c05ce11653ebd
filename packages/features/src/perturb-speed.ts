// Speed perturbation as Kaldi's utils/data/perturb_data_dir_speed.sh does it with `sox speed F`:
// the signal is read as if sampled at F × rate and resampled back to rate, so tempo and pitch
// change together by F and the duration by 1/F (Ko et al., "Audio augmentation for speech
// recognition", Interspeech 2015).
import { type ResampleOptions, resample } from './resample';

/** Largest denominator accepted for the speed factor as a fraction (0.9 = 9/10, 1.15 = 23/20). */
const MAX_DENOMINATOR = 1000;

/** Best rational approximation p/q of x with q ≤ maxDen (continued fractions). */
function toFraction(x: number, maxDen: number): [number, number] {
  let [p0, q0, p1, q1] = [0, 1, 1, 0];
  let y = x;
  for (let i = 0; i < 64; i++) {
    const a = Math.floor(y);
    const q2 = q0 + a * q1;
    if (q2 > maxDen) break;
    [p0, q0, p1, q1] = [p1, q1, p0 + a * p1, q2];
    const r = y - a;
    if (r < 1e-12) break;
    y = 1 / r;
  }
  return [p1, q1];
}

/**
 * Changes the speed of `samples` by `factor` (sox `speed`: 1.1 is 10% faster and higher, 1/1.1 as
 * long) with the Kaiser-windowed sinc of {@link resample}; `factor` must be a fraction with a
 * denominator of at most 1000 (0.9, 1.1, 0.95). Output length is ceil(n / factor); 1.0 copies.
 */
export function perturbSpeed(
  samples: ArrayLike<number>,
  factor: number,
  options: ResampleOptions = {},
): Float32Array {
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0)
    throw new Error(`perturbSpeed: factor must be a positive finite number, got ${String(factor)}`);
  const [p, q] = toFraction(factor, MAX_DENOMINATOR);
  if (q === 0 || Math.abs(p / q - factor) > 1e-9 * factor)
    throw new Error(
      `perturbSpeed: factor ${factor} is not a fraction with a denominator of at most ${MAX_DENOMINATOR} (use e.g. 0.9, 1.1 or 0.95)`,
    );
  if (p === q) return Float32Array.from(samples);
  // read at p "Hz", write at q "Hz": only the ratio matters to resample
  return resample(samples, p, q, options);
}
