/**
 * The backend registry: each backend registers an async factory with a priority; `ready()`
 * tries them from the highest priority down and keeps the first that loads. Every failure is
 * kept, with its reason, for `listBackends()`. A counter discards a `setBackend` that finished
 * after a newer one (the stale-init guard of tfjs-core's engine).
 */
import { MongeError, fromBackendError, invalid } from './errors.js';
import type { Kernels } from './backends/kernels.js';
import type { BackendChoice, BackendName } from './types.js';

/** Loads a backend's kernels, or throws with the reason it cannot load here. */
export type BackendFactory = () => Promise<Kernels>;

interface Entry {
  name: BackendName;
  priority: number;
  factory: BackendFactory;
  /** The first load, kept: a failed load fails the same way every time it is asked for. */
  loading?: Promise<Kernels>;
  kernels?: Kernels;
}

/** A backend's availability, as `listBackends()` reports it. */
export interface BackendInfo {
  name: BackendName;
  available: boolean;
  /** Why it is unavailable (absent when available). */
  reason?: string;
}

/** A loaded backend, as a solver uses it. */
export interface ActiveBackend {
  name: BackendName;
  kernels: Kernels;
}

const NAMES: readonly BackendName[] = ['native', 'wasm', 'webgpu'];
const entries = new Map<BackendName, Entry>();
const unregistered = new Map<BackendName, string>();
let current: BackendName | undefined;
let preferred: string | undefined;
let generation = 0;

/** Registers a backend; a higher `priority` is preferred by `ready()`. */
export function registerBackend(name: BackendName, factory: BackendFactory, priority: number): void {
  entries.set(name, { name, priority, factory });
  unregistered.delete(name);
}

/** Records why a backend is not registered in this environment, for `listBackends()`. */
export function markUnavailable(name: BackendName, reason: string): void {
  if (!entries.has(name)) unregistered.set(name, reason);
}

/** Makes `name` the default that `ready()` tries first (used for `MONGE_BACKEND`). */
export function preferBackend(name: string): void {
  preferred = name;
}

function checkName(name: unknown, argument: string): BackendName {
  if (typeof name !== 'string' || !(NAMES as readonly string[]).includes(name)) {
    throw invalid(argument, `unknown backend ${JSON.stringify(name)}: use one of ${NAMES.join(', ')}`, {
      value: String(name),
    });
  }
  return name as BackendName;
}

function unavailable(name: BackendName, reason: string, cause?: unknown): MongeError {
  return new MongeError(
    'BACKEND_UNAVAILABLE',
    `the ${name} backend is unavailable: ${reason}`,
    { backend: name, reason },
    { cause },
  );
}

async function load(name: BackendName): Promise<Kernels> {
  const entry = entries.get(name);
  if (entry === undefined) throw unavailable(name, unregistered.get(name) ?? 'not registered in this environment');
  if (entry.kernels) return entry.kernels;
  entry.loading ??= entry.factory().then(
    (kernels) => {
      entry.kernels = kernels;
      return kernels;
    },
    (err: unknown) => {
      throw unavailable(name, err instanceof Error ? err.message : String(err), err);
    },
  );
  return entry.loading;
}

/**
 * Loads the default backend: `MONGE_BACKEND` if set (Node), else the best one that loads here
 * (Node: the native addon, then WASM; browsers: WASM). Solvers call it themselves; call it
 * early to pay the loading cost up front.
 *
 * @throws MongeError `BACKEND_UNAVAILABLE` when nothing loads (or the backend named by
 *   `MONGE_BACKEND` does not), `INVALID_INPUT` when `MONGE_BACKEND` names no backend.
 *
 * @example
 * ```ts
 * await ready();
 * getBackend(); // 'native' in Node, 'wasm' in a browser
 * ```
 */
export async function ready(): Promise<void> {
  if (current !== undefined) return;
  const gen = generation;
  if (preferred !== undefined) {
    const name = checkName(preferred, 'MONGE_BACKEND');
    await load(name);
    if (gen === generation) current ??= name;
    return;
  }
  const failures: string[] = [];
  for (const entry of [...entries.values()].sort((a, b) => b.priority - a.priority)) {
    try {
      await load(entry.name);
      if (gen === generation) current ??= entry.name;
      return;
    } catch (err) {
      failures.push(`${entry.name}: ${err instanceof MongeError ? err.details?.reason : String(err)}`);
    }
  }
  throw new MongeError('BACKEND_UNAVAILABLE', `no backend could be loaded (${failures.join('; ')})`, {
    reason: failures.join('; '),
  });
}

/**
 * Loads `name` and makes it the default for calls without a `backend` option. When two calls
 * overlap, the later one wins.
 *
 * @throws MongeError `INVALID_INPUT` for an unknown name, `BACKEND_UNAVAILABLE` (with the
 *   reason in `details.reason`) when it cannot load here.
 */
export async function setBackend(name: BackendName): Promise<void> {
  const checked = checkName(name, 'name');
  const gen = ++generation;
  await load(checked);
  if (gen === generation) current = checked;
}

/** The default backend, or `undefined` before `ready()` / `setBackend()`. */
export function getBackend(): BackendName | undefined {
  return current;
}

/**
 * Every backend monge knows, with whether it loads here and, if not, why (tries to load each).
 *
 * @example
 * ```ts
 * await listBackends();
 * // [{ name: 'native', available: true }, { name: 'wasm', available: true },
 * //  { name: 'webgpu', available: false, reason: 'monge has no WebGPU kernels yet (...)' }]
 * ```
 */
export async function listBackends(): Promise<BackendInfo[]> {
  const out: BackendInfo[] = [];
  for (const name of NAMES) {
    try {
      await load(name);
      out.push({ name, available: true });
    } catch (err) {
      out.push({ name, available: false, reason: err instanceof MongeError ? String(err.details?.reason) : String(err) });
    }
  }
  return out;
}

/** The backend a call runs on: its `backend` option, else the default. */
export async function resolveBackend(choice: BackendChoice | undefined): Promise<ActiveBackend> {
  if (choice === undefined || choice === 'auto') {
    await ready();
    const name = current as BackendName;
    return { name, kernels: await load(name) };
  }
  const name = checkName(choice, 'backend');
  return { name, kernels: await load(name) };
}

/** Throws `ABORTED` if `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new MongeError('ABORTED', 'the operation was aborted', { reason: String(signal.reason) }, { cause: signal.reason });
  }
}

/**
 * Runs one kernel call on the backend chosen by `options`: resolves the backend, honours the
 * abort signal, and turns whatever the kernel throws into a `MongeError`.
 */
export async function run<T>(
  options: { backend?: BackendChoice; signal?: AbortSignal },
  call: (kernels: Kernels) => T | Promise<T>,
): Promise<{ value: T; backend: BackendName }> {
  throwIfAborted(options.signal);
  const { name, kernels } = await resolveBackend(options.backend);
  throwIfAborted(options.signal);
  try {
    // Kernels that run off the JavaScript thread (native Sinkhorn and exact solvers) return promises.
    return { value: await call(kernels), backend: name };
  } catch (err) {
    throw fromBackendError(err, name);
  }
}
