/**
 * The backend registry: each backend registers an async factory with a priority and the ops it
 * offers once loaded (its kernels may be partial). A call resolves its backend per op: its
 * `backend` option (a name, or an ordered list of preferences), else the default backend
 * (`setBackend`, `MONGE_BACKEND`, or the best that loads), moving down the priorities when the
 * chosen one lacks the op; `'auto'` takes the best backend that loads and `supports(op, size)`.
 * Experimental backends run only when named. Every load failure is kept, with its reason, for
 * `listBackends()`. A counter discards a `setBackend` that finished after a newer one (the
 * stale-init guard of tfjs-core's engine).
 */
import { MongeError, fromBackendError, invalid } from './errors.js';
import type { ArgsOf, Backend, Op, Progress, ResultOf } from './backends/kernels.js';
import type { BackendChoice, BackendName } from './types.js';

/** Loads a backend, or throws with the reason it cannot load here. */
export type BackendFactory = () => Promise<Backend>;

/** How a backend is registered besides its factory. */
export interface BackendTraits {
  /** Whether the backend is worth it for op `op` on a problem of `size` (cost entries); default: every op it has. */
  supports?: (op: Op, size: number) => boolean;
  /** Runs only when named in `backend` or by `setBackend`, never by default or `'auto'`. */
  experimental?: boolean;
}

interface Entry {
  name: BackendName;
  priority: number;
  factory: BackendFactory;
  traits: BackendTraits;
  /** The first load, kept: a failed load fails the same way every time it is asked for. */
  loading?: Promise<Backend>;
  backend?: Backend;
}

/** A backend's availability, as `listBackends()` reports it. */
export interface BackendInfo {
  name: BackendName;
  available: boolean;
  /** Why it is unavailable (absent when available). */
  reason?: string;
  /** The ops it offers (empty when unavailable). */
  operations: Op[];
  /** Whether it runs only when asked for by name. */
  experimental: boolean;
}

/** A loaded backend, as a solver uses it. */
export interface ActiveBackend {
  name: BackendName;
  backend: Backend;
}

const NAMES: readonly BackendName[] = ['native', 'wasm', 'webgpu'];
const entries = new Map<BackendName, Entry>();
const unregistered = new Map<BackendName, string>();
let current: BackendName | undefined;
let preferred: string | undefined;
let generation = 0;

/** Registers a backend; a higher `priority` is preferred. */
export function registerBackend(
  name: BackendName,
  factory: BackendFactory,
  priority: number,
  traits: BackendTraits = {},
): void {
  entries.set(name, { name, priority, factory, traits });
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
    throw invalid(
      argument,
      `unknown backend ${JSON.stringify(name)}: use one of ${NAMES.join(', ')}, a list of them, or 'auto'`,
      {
        value: String(name),
      },
    );
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

async function load(name: BackendName): Promise<Backend> {
  const entry = entries.get(name);
  if (entry === undefined) throw unavailable(name, unregistered.get(name) ?? 'not registered in this environment');
  if (entry.backend) return entry.backend;
  entry.loading ??= entry.factory().then(
    (backend) => {
      entry.backend = backend;
      return backend;
    },
    (err: unknown) => {
      throw unavailable(name, err instanceof Error ? err.message : String(err), err);
    },
  );
  return entry.loading;
}

function byPriority(): Entry[] {
  return [...entries.values()].sort((a, b) => b.priority - a.priority);
}

function reasonOf(err: unknown): string {
  return err instanceof MongeError ? String(err.details?.reason ?? err.message) : String(err);
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
  for (const entry of byPriority().filter((e) => !e.traits.experimental)) {
    try {
      await load(entry.name);
      if (gen === generation) current ??= entry.name;
      return;
    } catch (err) {
      failures.push(`${entry.name}: ${reasonOf(err)}`);
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
 * Every backend monge knows, with whether it loads here (and if not, why) and the ops it offers
 * (tries to load each).
 *
 * @example
 * ```ts
 * await listBackends();
 * // [{ name: 'native', available: true, operations: ['dist', 'emd', ...], experimental: false },
 * //  { name: 'wasm', available: true, operations: [...], experimental: false },
 * //  { name: 'webgpu', available: false, reason: 'monge has no WebGPU kernels yet (...)', operations: [], experimental: false }]
 * ```
 */
export async function listBackends(): Promise<BackendInfo[]> {
  const out: BackendInfo[] = [];
  for (const name of NAMES) {
    const experimental = entries.get(name)?.traits.experimental ?? false;
    try {
      const backend = await load(name);
      out.push({ name, available: true, operations: Object.keys(backend.kernels) as Op[], experimental });
    } catch (err) {
      out.push({ name, available: false, reason: reasonOf(err), operations: [], experimental });
    }
  }
  return out;
}

/** Whether the loaded `entry` offers `op` (and, given a `size`, suits a problem that large). */
function offers(entry: Entry, backend: Backend, op: Op, size: number | undefined): boolean {
  if (backend.kernels[op] === undefined) return false;
  return size === undefined || (entry.traits.supports?.(op, size) ?? true);
}

/**
 * The backend that runs `op` on a problem of `size` cost entries, from the call's `backend`
 * option: `undefined` for the default (or, when it lacks the op, the best that has it), a name,
 * a list of names tried in order, or `'auto'` (as `undefined`, also skipping the backends whose
 * `supports` turns the problem down).
 */
export async function resolveBackend(
  choice: BackendChoice | readonly BackendName[] | undefined,
  op: Op,
  size = 0,
): Promise<ActiveBackend> {
  let candidates: BackendName[];
  if (choice === undefined || choice === 'auto') {
    // The default first, then the others by priority; `'auto'` also asks each whether the
    // problem suits it (see BackendTraits.supports).
    await ready();
    const fallbacks = byPriority()
      .filter((e) => !e.traits.experimental)
      .map((e) => e.name);
    candidates = [current as BackendName, ...fallbacks.filter((n) => n !== current)];
  } else if (Array.isArray(choice)) {
    if (choice.length === 0) throw invalid('backend', 'backend is an empty list: name at least one backend');
    candidates = choice.map((n) => checkName(n, 'backend'));
  } else {
    candidates = [checkName(choice, 'backend')];
  }
  const failures: string[] = [];
  for (const name of candidates) {
    let backend: Backend;
    try {
      backend = await load(name);
    } catch (err) {
      // One backend asked for by name: its own error, with its reason.
      if (candidates.length === 1) throw err;
      failures.push(`${name}: ${reasonOf(err)}`);
      continue;
    }
    if (offers(entries.get(name)!, backend, op, choice === 'auto' ? size : undefined)) return { name, backend };
    failures.push(`${name}: does not offer ${op}${backend.kernels[op] ? ` for a problem of ${size} entries` : ''}`);
  }
  throw new MongeError('BACKEND_UNAVAILABLE', `no backend can run ${op} here (${failures.join('; ')})`, {
    reason: failures.join('; '),
  });
}

/** Throws `ABORTED` if `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new MongeError(
      'ABORTED',
      'the operation was aborted',
      { reason: String(signal.reason) },
      { cause: signal.reason },
    );
  }
}

/** What every call passes on to the backend running it. */
export interface RunOptions {
  backend?: BackendChoice | readonly BackendName[];
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/**
 * Runs op `op` with `args` on the backend chosen for it (see {@link resolveBackend}; `size` is
 * the problem's number of cost entries, for `'auto'`), honours the abort signal and the progress
 * listener, and turns whatever the kernel throws into a `MongeError`.
 */
export async function run<K extends Op>(
  op: K,
  options: RunOptions,
  args: ArgsOf<K>,
  size = 0,
): Promise<{ value: ResultOf<K>; backend: BackendName }> {
  throwIfAborted(options.signal);
  const { name, backend } = await resolveBackend(options.backend, op, size);
  throwIfAborted(options.signal);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw invalid('onProgress', `onProgress must be a function, got ${typeof options.onProgress}`);
  }
  const kernel = backend.kernels[op]!;
  try {
    return { value: await kernel(args, { signal: options.signal, onProgress: options.onProgress }), backend: name };
  } catch (err) {
    const e = fromBackendError(err, name);
    if (e.code === 'ABORTED' && options.signal?.aborted) {
      throw new MongeError(
        'ABORTED',
        'the operation was aborted',
        { reason: String(options.signal.reason) },
        { cause: options.signal.reason },
      );
    }
    throw e;
  }
}
