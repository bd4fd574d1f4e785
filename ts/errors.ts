/**
 * The one error type of monge. Every failure carries a stable `code` and, where it helps,
 * `details` naming the argument, the index of the first bad value, shapes or masses.
 */

/** The codes a {@link MongeError} can carry. */
export type MongeErrorCode =
  | 'INVALID_INPUT'
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE'
  | 'NEGATIVE_WEIGHT'
  | 'MASS_MISMATCH'
  | 'TOO_LARGE'
  | 'BACKEND_UNAVAILABLE'
  | 'ABORTED'
  | 'INTERNAL';

/** What an error knows about its cause; which fields are set depends on the code. */
export interface MongeErrorDetails {
  /** The argument at fault (`'u'`, `'a'`, `'metric'`, ...). */
  argument?: string;
  /** Index of the first bad value in that argument. */
  index?: number;
  /** The bad value (a string for NaN and infinities, which JSON cannot carry). */
  value?: number | string;
  /** Expected and actual lengths, for `SHAPE_MISMATCH`. */
  expected?: number;
  actual?: number;
  /** A shape involved, e.g. `[rows, cols]`. */
  shape?: number[];
  /** Shapes of the two point clouds, for `SHAPE_MISMATCH` between `x` and `y`. */
  x?: number[];
  y?: number[];
  /** A total mass, e.g. the zero mass of a weight vector. */
  mass?: number;
  /** The backend involved, for `BACKEND_UNAVAILABLE` and `INTERNAL`. */
  backend?: string;
  /** Why a backend could not be used. */
  reason?: string;
  [key: string]: unknown;
}

const CODES: ReadonlySet<string> = new Set<MongeErrorCode>([
  'INVALID_INPUT',
  'SHAPE_MISMATCH',
  'NON_FINITE',
  'NEGATIVE_WEIGHT',
  'MASS_MISMATCH',
  'TOO_LARGE',
  'BACKEND_UNAVAILABLE',
  'ABORTED',
  'INTERNAL',
]);

/** An error from monge: bad input, an unavailable backend, an abort, or an internal bug. */
export class MongeError extends Error {
  override readonly name = 'MongeError';
  /** What went wrong; stable across versions. */
  readonly code: MongeErrorCode;
  /** Facts about the failure: the argument, index, shapes, masses or backend involved. */
  readonly details?: MongeErrorDetails;

  constructor(code: MongeErrorCode, message: string, details?: MongeErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** Shorthand for an `INVALID_INPUT` error about `argument`. */
export function invalid(argument: string, message: string, details: MongeErrorDetails = {}): MongeError {
  return new MongeError('INVALID_INPUT', message, { argument, ...details });
}

/**
 * Turns whatever a backend threw into a `MongeError`: core errors arrive as JSON messages
 * (`{"code","message","details"}`, written by the Rust core); anything else (a caught panic, a
 * WASM trap) is a bug in monge and becomes `INTERNAL`.
 */
export function fromBackendError(err: unknown, backend: string): MongeError {
  if (err instanceof MongeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (message.startsWith('{"code":')) {
    try {
      const parsed = JSON.parse(message) as { code: string; message: string; details?: MongeErrorDetails };
      if (CODES.has(parsed.code)) {
        return new MongeError(parsed.code as MongeErrorCode, parsed.message, parsed.details);
      }
    } catch {
      // Not our JSON after all: fall through to INTERNAL.
    }
  }
  return new MongeError(
    'INTERNAL',
    `internal error in the ${backend} backend (a bug in monge, please report it): ${message}`,
    { backend },
    { cause: err },
  );
}
