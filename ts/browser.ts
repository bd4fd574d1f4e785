/**
 * The browser entry point: the WASM module (SIMD128), fetched next to this bundle and compiled
 * while it streams in.
 */
import { loadWasm } from './backends/wasm.js';
import { markUnavailable, registerBackend } from './registry.js';

registerBackend('wasm', () => loadWasm(async () => fetch(new URL('./monge_wasm_bg.wasm', import.meta.url))), 1);
markUnavailable('native', 'the native addon runs in Node only; browsers use WebAssembly');
markUnavailable('webgpu', 'monge has no WebGPU kernels yet (planned for large Sinkhorn problems)');

export * from './api.js';
