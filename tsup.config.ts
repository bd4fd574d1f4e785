import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Two entries, one API: `node` registers the native addon and WASM, `browser` only WASM.
// The WASM binary is copied next to the bundles, where both entries look for it.
export default defineConfig({
  entry: { node: 'ts/node.ts', browser: 'ts/browser.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  shims: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['node:fs/promises', 'node:module'],
  onSuccess: async () => {
    copyFileSync('wasm/monge_wasm_bg.wasm', 'dist/monge_wasm_bg.wasm');
  },
});
