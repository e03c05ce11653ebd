import { type BackendRequest, type BackendSelection, selectBackend } from '../backend/select-backend';

/** What `stnas doctor` found about this machine. */
export interface DoctorReport {
  /** `process.version`. */
  node: string;
  /** Platform and architecture, e.g. `linux x64`. */
  platform: string;
  /** Logical cores. */
  cores: number;
  /** The backend chosen and why. */
  selection: BackendSelection;
  /** Optional backend packages that are not installed, with how to install them. */
  missing: string[];
}

/** Selects a backend as training would and reports what was found. */
export async function runDoctor(backend: BackendRequest = 'auto'): Promise<DoctorReport> {
  const os = await import('node:os');
  const selection = await selectBackend(backend);
  const missing = selection.attempts.filter((a) => !a.ok && a.reason).map((a) => a.reason!);
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cores: os.availableParallelism(),
    selection,
    missing,
  };
}

/** Formats a doctor report as the lines `stnas doctor` prints. */
export function formatDoctor(r: DoctorReport): string {
  const s = r.selection;
  const lines = [
    `node      ${r.node} (${r.platform}, ${r.cores} cores)`,
    `backend   ${s.backend} via ${s.package}${s.gpu ? ' (GPU)' : ''}`,
    `why       ${s.why}`,
    `simd      ${s.simd ? 'yes' : 'no'}`,
    `threads   ${s.threads}`,
  ];
  if (r.missing.length === 0) lines.push('optional  all optional backends are installed');
  for (const m of r.missing) lines.push(`optional  ${m}`);
  return lines.join('\n');
}
