import {
  type BackendRequest,
  type BackendSelection,
  formatEngineFacts,
  missingBackends,
  selectBackend,
} from '@stnas/engine';

/** What `stnas doctor` found about this machine. */
export interface DoctorReport {
  /** `process.version`. */
  node: string;
  /** Platform and architecture, e.g. `linux x64`. */
  platform: string;
  /** Logical cores. */
  cores: number;
  /** The backend chosen and why, with the BLAS it uses. */
  selection: BackendSelection;
  /** Optional backend packages that are not installed, with how to install them. */
  missing: string[];
}

/** Selects a backend as training would and reports what was found. */
export async function runDoctor(
  backend: BackendRequest = 'auto',
  blas: 'auto' | 'off' = 'auto',
): Promise<DoctorReport> {
  const os = await import('node:os');
  const selection = await selectBackend(backend, { blas });
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cores: os.availableParallelism(),
    selection,
    missing: missingBackends(selection),
  };
}

/** Formats a doctor report as the lines `stnas doctor` prints. */
export function formatDoctor(r: DoctorReport): string {
  return [`node      ${r.node} (${r.platform}, ${r.cores} cores)`, ...formatEngineFacts(r.selection)].join(
    '\n',
  );
}
