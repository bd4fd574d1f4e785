/**
 * The Node entry point: the native addon (preferred) and the WASM module (the fallback when no
 * prebuilt binary fits the platform; the reason stays visible in `listBackends()`).
 * `MONGE_BACKEND=native|wasm` overrides the default.
 */
import { readFile } from 'node:fs/promises';
import { loadNative } from './backends/native.js';
import { loadWasm } from './backends/wasm.js';
import { markUnavailable, preferBackend, registerBackend } from './registry.js';

registerBackend('native', loadNative, 2);
registerBackend('wasm', () => loadWasm(() => readFile(new URL('./monge_wasm_bg.wasm', import.meta.url))), 1);
markUnavailable('webgpu', 'monge has no WebGPU kernels yet (planned for large Sinkhorn problems)');
const fromEnv = process.env.MONGE_BACKEND;
if (fromEnv !== undefined && fromEnv !== '') preferBackend(fromEnv);

export * from './api.js';
