import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// One test tree, three runs: Node against the native addon, Node against WASM, and headless
// Chromium against WASM. Tests import the built package ('monge' → dist/), as users do, and
// read the backend under test with inject('backend').
const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));
// MONGE_TIMING=1 runs the tests that measure time instead (cancellation latency, CPU use, timers
// during a solve), one file at a time: scripts/test.sh runs them after the rest, one project at a
// time, so that the other test runs do not compete with them for the cores.
const timing = process.env.MONGE_TIMING === '1';
const shared = timing ? ['test/timing/*.test.ts'] : ['test/*.test.ts'];
const nodeOnly = timing ? ['test/timing/node/*.test.ts'] : ['test/node/*.test.ts'];

export default defineConfig({
  test: {
    fileParallelism: !timing,
    projects: [
      {
        resolve: { alias: { monge: dist('node.js') } },
        test: {
          name: 'native',
          include: [...shared, ...nodeOnly],
          environment: 'node',
          provide: { backend: 'native' },
        },
      },
      {
        resolve: { alias: { monge: dist('node.js') } },
        test: { name: 'wasm', include: shared, environment: 'node', provide: { backend: 'wasm' } },
      },
      {
        resolve: { alias: { monge: dist('browser.js') } },
        test: {
          name: 'browser',
          include: shared,
          provide: { backend: 'wasm' },
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                // Debian's Chromium: Playwright cannot download its own browser here.
                executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-quic',
                  '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
