/**
 * Native cancellation as the process sees it: once a solve is aborted, the thread pool stops
 * computing (CPU time stops growing), and a process with a cancelled solve exits at once.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../scripts/random.mjs';
import { rejectsWith } from '../../helpers/backend.js';

function cloud(n: number, seed: number): ot.PointCloud {
  const r = mulberry32(seed);
  return { data: Float64Array.from({ length: 2 * n }, r), n, dim: 2 };
}

/** CPU time of this process (all threads, the pool's included), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

describe('native cancellation stops the work', () => {
  it('stops using CPU within 50 ms of the abort', async () => {
    // Point clouds past the threading threshold: the solve runs on every core.
    const cost = { x: cloud(1500, 1), y: cloud(1500, 2) };
    const controller = new AbortController();
    const solve = ot.sinkhorn(undefined, undefined, cost, {
      reg: 0.01,
      tol: 0,
      maxIter: 100000,
      backend: 'native',
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const busyFrom = cpuMs();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const busy = cpuMs() - busyFrom;
    const at = performance.now();
    controller.abort();
    await rejectsWith('ABORTED', () => solve);
    expect(performance.now() - at).toBeLessThan(50);
    // While running, the solve burnt CPU (up to 400 ms in 200 ms on 2 cores); in the 200 ms
    // after the abort, hardly any.
    expect(busy).toBeGreaterThan(100);
    const idleFrom = cpuMs();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(cpuMs() - idleFrom).toBeLessThan(Math.min(40, busy / 4));
  });

  it('lets the process exit while a solve is cancelled', () => {
    const dist = fileURLToPath(new URL('../../../dist/node.js', import.meta.url));
    // A solve of about a minute, aborted after 200 ms; then the script either lets the event
    // loop drain or calls process.exit() at once. Either way the process ends promptly.
    const script = (exit: boolean) => `
      const ot = await import(${JSON.stringify(dist)});
      const n = 2000, r = () => Math.random();
      const x = { data: Float64Array.from({ length: 2 * n }, r), n, dim: 2 };
      const controller = new AbortController();
      ot.sinkhorn(undefined, undefined, { x, y: x }, { reg: 0.001, tol: 0, maxIter: 1e5, backend: 'native', signal: controller.signal })
        .then(() => process.stdout.write('finished'), (e) => process.stdout.write(e.code));
      setTimeout(() => { controller.abort(); ${exit ? 'process.exit(0);' : ''} }, 200);
    `;
    for (const exit of [false, true]) {
      const started = performance.now();
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script(exit)], {
        encoding: 'utf8',
        timeout: 30000,
      });
      const elapsed = performance.now() - started;
      expect(child.status, child.stderr).toBe(0);
      // Drained, the rejection was seen; exited at once, nothing was.
      expect(child.stdout).toBe(exit ? '' : 'ABORTED');
      // Node's start, the module load, 200 ms of solving, then out.
      expect(elapsed).toBeLessThan(5000);
    }
  });
});
