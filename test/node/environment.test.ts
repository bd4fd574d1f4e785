/**
 * How the package loads in Node: ESM and CJS entry points, the MONGE_BACKEND override, and the
 * fallback to WASM (with its reason) when the native addon cannot load. Each case runs in a
 * fresh Node process, since the default backend is chosen once per process.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function runNode(code: string, env: Record<string, string> = {}, type: 'module' | 'commonjs' = 'module'): unknown {
  const out = execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], {
    cwd: root,
    env: { ...process.env, MONGE_BACKEND: '', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const probe = `
  try {
    await ot.ready();
    const list = await ot.listBackends();
    const w = await ot.wasserstein1d([0, 1], [2, 3]);
    console.log(JSON.stringify({ backend: ot.getBackend(), list, w }));
  } catch (e) {
    console.log(JSON.stringify({ error: e.code, message: e.message }));
  }`;

describe('loading in Node', () => {
  it('prefers the native addon', () => {
    const r = runNode(`import * as ot from './dist/node.js'; ${probe}`) as { backend: string; w: number };
    expect(r).toMatchObject({ backend: 'native', w: 2 });
  });

  it('works from CommonJS', () => {
    const code = `const ot = require('./dist/node.cjs');
      ot.emd1d([0, 1], [1, 2]).then((r) => console.log(JSON.stringify({ cost: r.cost, backend: r.backend })));`;
    expect(runNode(code, {}, 'commonjs')).toEqual({ cost: 1, backend: 'native' });
  });

  it('obeys MONGE_BACKEND', () => {
    const r = runNode(`import * as ot from './dist/node.js'; ${probe}`, { MONGE_BACKEND: 'wasm' });
    expect(r).toMatchObject({ backend: 'wasm', w: 2 });
    const bad = runNode(`import * as ot from './dist/node.js'; ${probe}`, { MONGE_BACKEND: 'tpu' });
    expect(bad).toMatchObject({ error: 'INVALID_INPUT' });
    expect((bad as { message: string }).message).toMatch(/MONGE_BACKEND|unknown backend/);
  });

  it('falls back to WASM with the reason when the addon cannot load', () => {
    // napi-rs's loader tries this path first and reports it in its error.
    const r = runNode(`import * as ot from './dist/node.js'; ${probe}`, {
      NAPI_RS_NATIVE_LIBRARY_PATH: '/nonexistent/monge.node',
    }) as { backend: string; list: { name: string; available: boolean; reason?: string }[] };
    expect(r.backend).toBe('wasm');
    const native = r.list.find((b) => b.name === 'native');
    expect(native?.available).toBe(false);
    expect(native?.reason).toMatch(/\w/);
  });
});
