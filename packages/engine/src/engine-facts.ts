import type { BackendSelection } from './select-backend';

/**
 * The engine lines `stnas doctor` prints for a selection: backend, why, SIMD, threads, the BLAS
 * (library, threads and its configuration string, or one line saying why none runs) and one line
 * per optional backend package that is missing.
 */
export function formatEngineFacts(s: BackendSelection): string[] {
  const lines = [
    `backend   ${s.backend} via ${s.package}${s.gpu ? ' (GPU)' : ''}`,
    `why       ${s.why}`,
    `simd      ${s.simd ? 'yes' : 'no'}`,
    `threads   ${s.threads}`,
    s.blas
      ? `blas      ${s.blas.library} (${s.blas.vendor}), ${s.blas.threads} thread(s): ${s.blas.config}${s.blas.note ? `; ${s.blas.note}` : ''}`
      : `blas      none: ${s.blasReason ?? 'not used'}`,
  ];
  const missing = missingBackends(s);
  if (missing.length === 0) lines.push('optional  all optional backends are installed');
  for (const m of missing) lines.push(`optional  ${m}`);
  return lines;
}

/** One line per backend package that was tried and could not be used. */
export function missingBackends(s: BackendSelection): string[] {
  return s.attempts.filter((a) => !a.ok && a.reason).map((a) => a.reason!);
}
