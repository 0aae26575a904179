import { brandOf, ResilienceError } from './resilience-error.js';

/**
 * Thrown, without invoking the method, by a circuit that is open, forced open, or half-open with
 * all its probe slots taken.
 *
 * @example
 * ```ts
 * try { await client.charge(10); } catch (e) {
 *   if (isCircuitOpenError(e)) res.setHeader('Retry-After', Math.ceil(e.retryAfter / 1000));
 * }
 * ```
 * @category Circuit breaker
 * @category Errors
 */
export class CircuitOpenError extends ResilienceError {
  /** The `code` of every instance, for comparisons without an instance. */
  static readonly CODE = 'ERR_CIRCUIT_OPEN';
  override readonly code = 'ERR_CIRCUIT_OPEN';

  /**
   * @param breakerName - the breaker that rejected the call.
   * @param retryAfter - milliseconds until a probe will be admitted; `Infinity` when forced open.
   */
  constructor(
    readonly breakerName: string,
    readonly retryAfter: number,
  ) {
    super(
      `Circuit '${breakerName}' is open; ${
        Number.isFinite(retryAfter) ? `a probe will be admitted in ${Math.ceil(retryAfter)} ms` : 'it was forced open'
      }`,
      'ERR_CIRCUIT_OPEN',
    );
  }
}

/**
 * True when `error` is a {@link CircuitOpenError}, from this copy of the package or another.
 *
 * @param error - anything caught.
 * @returns whether `error` is a `CircuitOpenError` (and narrows its type).
 * @example
 * ```ts
 * if (isCircuitOpenError(e)) return cached;
 * ```
 * @category Circuit breaker
 * @category Errors
 */
export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return brandOf(error) === CircuitOpenError.CODE;
}
