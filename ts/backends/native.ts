/**
 * The native backend (Node only): the napi-rs addon built from `crates/monge-node`.
 *
 * Every op runs on libuv's thread pool under a `SolveControl`: an abort signal cancels it (the
 * solve stops at its next unit of work and the promise rejects with `ABORTED`), and progress is
 * read from it on a timer while the promise is pending.
 *
 * Copies: none in (napi hands Rust a borrowed slice over each typed array), none out (result
 * vectors are adopted as the backing store of the returned typed arrays).
 */
import { createRequire } from 'node:module';
import { PROGRESS_INTERVAL_MS, type Backend, type Job, type Kernels, type Op, type Progress } from './kernels.js';
import type * as Binding from '../../native/index.cjs';

type Control = Binding.SolveControl;

/** Loads the addon through napi-rs's generated loader (local binary, then the platform package). */
export async function loadNative(): Promise<Backend> {
  const require = createRequire(import.meta.url);
  // The bundle lives in dist/, the generated loader in native/.
  let binding: typeof Binding;
  try {
    binding = require('../native/index.cjs') as typeof Binding;
  } catch (err) {
    throw new Error(`no native addon for ${process.platform}-${process.arch} could be loaded (${causes(err)})`, {
      cause: err,
    });
  }
  const kernels: Kernels = {};
  const table = binding as unknown as Record<Op, (args: unknown, control: Control) => Promise<unknown>>;
  const target = kernels as Record<Op, (args: unknown, job: Job) => Promise<unknown>>;
  for (const op of binding.ops() as Op[]) {
    const fn = table[op];
    target[op] = (args, job) => controlled(new binding.SolveControl(), job, (control) => fn(args, control));
  }
  return { kernels, panicForTests: binding.panicForTests };
}

/** Runs `call` under `control`, wired to the job's signal and progress listener. */
async function controlled<R>(control: Control, job: Job, call: (control: Control) => Promise<R>): Promise<R> {
  const { signal, onProgress } = job;
  const cancel = (): void => control.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  if (signal?.aborted) control.cancel();
  let listenerError: { error: unknown } | undefined;
  let last = -1;
  const timer =
    onProgress === undefined
      ? undefined
      : setInterval(() => {
          const p = control.progress();
          if (p.iteration === last) return;
          last = p.iteration;
          const report: Progress =
            p.error === undefined || p.error === null
              ? { iteration: p.iteration }
              : { iteration: p.iteration, error: p.error };
          try {
            onProgress(report);
          } catch (error) {
            // A throwing listener stops the solve and becomes its error.
            listenerError ??= { error };
            control.cancel();
          }
        }, PROGRESS_INTERVAL_MS);
  try {
    const out = await call(control);
    if (listenerError) throw listenerError.error;
    return out;
  } catch (err) {
    if (listenerError) throw listenerError.error;
    throw err;
  } finally {
    if (timer !== undefined) clearInterval(timer);
    signal?.removeEventListener('abort', cancel);
  }
}

/** The first line of each error in a `cause` chain: napi-rs chains one per place it looked. */
function causes(err: unknown): string {
  const lines: string[] = [];
  for (let e = err; e instanceof Error && lines.length < 8; e = e.cause) lines.push(e.message.split('\n')[0]!);
  return lines.join('; ');
}
