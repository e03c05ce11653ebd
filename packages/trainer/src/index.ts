export type {
  BackendAttempt,
  BackendRequest,
  BackendSelection,
} from './backend/select-backend';
export { BackendUnavailableError, selectBackend } from './backend/select-backend';
export type { WasmInfo, WasmOptions } from './backend/wasm-node';
export { setupWasmBackend, wasmBinaryDir } from './backend/wasm-node';
export type { CliIo } from './cli';
export { main, UsageError } from './cli';
export type { DoctorReport } from './doctor';
export { formatDoctor, runDoctor } from './doctor';
