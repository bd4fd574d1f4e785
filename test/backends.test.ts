import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import { backend, rejectsWith, useBackend } from './helpers/backend.js';

describe(`backend registry [${backend}]`, () => {
  useBackend();

  it('reports the backend under test as default and available', async () => {
    expect(ot.getBackend()).toBe(backend);
    const list = await ot.listBackends();
    expect(list.map((b) => b.name)).toEqual(['native', 'wasm', 'webgpu']);
    expect(list.find((b) => b.name === backend)).toMatchObject({ name: backend, available: true, experimental: false });
    // Every backend that loads offers every op the bindings declare.
    for (const op of ['dist', 'emd', 'linearSumAssignment', 'auction', 'sinkhorn64', 'sinkhornDivergence']) {
      expect(list.find((b) => b.name === backend)?.operations).toContain(op);
    }
    for (const b of list) {
      if (!b.available) expect(b.reason).toMatch(/\w/);
    }
    expect((await ot.emd1d([0], [1])).backend).toBe(backend);
  });

  it('takes a per-call backend and rejects unknown or unavailable ones', async () => {
    expect((await ot.dist([[0]], [[2]], { backend: 'wasm' })).backend).toBe('wasm');
    expect((await ot.dist([[0]], [[2]], { backend: 'auto' })).backend).toBe(backend);
    let e = await rejectsWith('INVALID_INPUT', () => ot.dist([[0]], [[2]], { backend: 'cuda' as ot.BackendName }));
    expect(e.details).toMatchObject({ argument: 'backend', value: 'cuda' });
    e = await rejectsWith('BACKEND_UNAVAILABLE', () => ot.dist([[0]], [[2]], { backend: 'webgpu' }));
    expect(e.details).toMatchObject({ backend: 'webgpu' });
    await rejectsWith('INVALID_INPUT', () => ot.setBackend('gpu' as ot.BackendName));
    expect(ot.getBackend()).toBe(backend);
  });

  it('honours an AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user cancelled'));
    const e = await rejectsWith('ABORTED', () => ot.wasserstein1d([0], [1], { signal: controller.signal }));
    expect(e.cause).toBe(controller.signal.reason);
  });

  it('keeps MongeError a real Error with code and details', async () => {
    const e = await rejectsWith('NON_FINITE', () => ot.wasserstein1d([NaN], [0]));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('MongeError');
    expect(e.message).toMatch(/u\[0\] is NaN/);
  });
});
