import { brandOf, ResilienceError } from './resilience-error.js';

/**
 * Thrown when an attempt did not settle within its `@Timeout` duration. The call's signal is
 * aborted with this error as its `reason`.
 *
 * @example
 * ```ts
 * if (isTimeoutError(e)) log.warn(`gave up after ${e.duration} ms`);
 * ```
 * @category Timeout
 * @category Errors
 */
export class TimeoutError extends ResilienceError {
  /** The `code` of every instance, for comparisons without an instance. */
  static readonly CODE = 'ERR_TIMEOUT';
  override readonly code = 'ERR_TIMEOUT';

  /**
   * @param duration - the timeout that expired, in ms.
   * @param policyName - the method or policy it belongs to.
   */
  constructor(
    readonly duration: number,
    readonly policyName = 'timeout',
  ) {
    super(`'${policyName}' timed out after ${duration} ms`, 'ERR_TIMEOUT');
  }
}

/**
 * True when `error` is a {@link TimeoutError}, from this copy of the package or another.
 *
 * @param error - anything caught.
 * @returns whether `error` is a `TimeoutError` (and narrows its type).
 * @example
 * ```ts
 * if (isTimeoutError(e)) metrics.increment('timeouts');
 * ```
 * @category Timeout
 * @category Errors
 */
export function isTimeoutError(error: unknown): error is TimeoutError {
  return brandOf(error) === TimeoutError.CODE;
}
