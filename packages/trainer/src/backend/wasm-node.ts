// The wasm start-up for Node lives in @stnas/engine; re-exported for the trainer's modules and benchmarks.
export { setupWasmBackend, type WasmInfo, type WasmOptions, wasmBinaryDir } from '@stnas/engine';
