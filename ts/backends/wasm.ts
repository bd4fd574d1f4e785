/**
 * The WebAssembly backend: the module built from `crates/monge-wasm` by wasm-pack (SIMD128).
 *
 * A solve runs on the calling thread in slices: the module's `Run` is advanced a budget of
 * units at a time (an iteration, a pivot, an augmenting path), the budget sized so that each
 * call takes a few milliseconds, and the loop yields to the event loop every
 * {@link SLICE_MS} ms, so that timers, input and an abort signal get their turn while a long
 * solve runs. The arithmetic does not depend on the slicing.
 *
 * Copies: the module copies each argument once into its memory and each result once out into a
 * fresh typed array.
 *
 * Panics: the module aborts on panic, which traps the instance (`WebAssembly.RuntimeError`).
 * The Rust side has already scheduled a fresh instance; calling the argument-free
 * `recoverAfterTrap` export makes the swap happen before the next real call.
 */
import init, * as glue from '../../wasm/monge_wasm.js';
import { PROGRESS_INTERVAL_MS, abortedError, type Backend, type Job, type Kernels, type Op } from './kernels.js';

/** Where the module's bytes come from: a `Response` (streaming compile) or raw bytes. */
export type WasmSource = () => Promise<Response | BufferSource>;

/** The longest a solve holds the thread before yielding (ms). */
export const SLICE_MS = 25;

/** Each `advance` call aims at this long (ms): long enough that calls cost nothing, short enough to slice finely. */
const ADVANCE_MS = 4;

function recovering<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) glue.recoverAfterTrap();
      throw err;
    }
  };
}

const now = (): number => (typeof performance === 'object' ? performance.now() : Date.now());

/** Lets the event loop run (timers, I/O, input): a macrotask, without `setTimeout`'s 4 ms clamp. */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    // Browsers and workers: a message to ourselves, on one channel made when first needed.
    channel ??= (() => {
      const c = new MessageChannel();
      c.port1.onmessage = () => waiting.shift()?.();
      return c;
    })();
    const port = channel.port2;
    return new Promise((resolve) => {
      waiting.push(resolve);
      port.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

/** Advances `run` to the end in slices, honouring the job's signal and progress listener. */
async function drive(run: glue.Run, job: Job): Promise<unknown> {
  const { signal, onProgress } = job;
  let budget = 1;
  let sliceStart = now();
  let reported = sliceStart;
  for (;;) {
    if (signal?.aborted) throw abortedError();
    const t0 = now();
    const done = run.advance(budget);
    const t1 = now();
    if (done) break;
    // Size the next call from this one: double while much faster than aimed at, halve when slower.
    const took = t1 - t0;
    if (took < ADVANCE_MS / 2) budget = Math.min(budget * 2, 2 ** 30);
    else if (took > ADVANCE_MS * 2) budget = Math.max(1, budget >> 1);
    if (t1 - sliceStart >= SLICE_MS) {
      if (onProgress !== undefined && t1 - reported >= PROGRESS_INTERVAL_MS) {
        const p = run.progress() as { iteration: number; error?: number };
        onProgress(p.error === undefined ? { iteration: p.iteration } : { iteration: p.iteration, error: p.error });
        reported = t1;
      }
      await yieldToEventLoop();
      sliceStart = now();
    }
  }
  if (signal?.aborted) throw abortedError();
  return run.finish();
}

/** Instantiates the module and wraps its ops as kernels. */
export async function loadWasm(source: WasmSource): Promise<Backend> {
  if (typeof WebAssembly !== 'object') throw new Error('this JavaScript engine has no WebAssembly');
  await init({ module_or_path: await source() });
  const kernels: Kernels = {};
  const table = glue as unknown as Record<Op, (args: unknown) => glue.Run>;
  const target = kernels as Record<Op, (args: unknown, job: Job) => Promise<unknown>>;
  for (const op of glue.ops() as Op[]) {
    const start = table[op];
    target[op] = async (args, job) => {
      if (job.signal?.aborted) throw abortedError();
      let run: glue.Run | undefined;
      try {
        run = start(args);
        return await drive(run, job);
      } catch (err) {
        // A trap inside the solve (from start, advance or finish): the next call gets a fresh
        // instance, and this run died with the old one.
        if (err instanceof WebAssembly.RuntimeError) {
          glue.recoverAfterTrap();
          run = undefined;
        }
        throw err;
      } finally {
        run?.free();
      }
    };
  }
  return { kernels, panicForTests: recovering(glue.panicForTests) };
}
