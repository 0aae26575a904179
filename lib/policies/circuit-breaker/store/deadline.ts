import type { Clock } from '../../../clock/clock.js';

/**
 * A store command outlived the deadline breakwater puts on it (`commandTimeout`). A client's own
 * timeout may not cover a server that accepted the connection and stopped answering.
 * @category Shared state
 */
export class StoreTimeoutError extends Error {
  /** `'StoreTimeoutError'`. */
  override readonly name = 'StoreTimeoutError';
  constructor(
    /** The deadline that passed, ms. */
    readonly timeout: number,
  ) {
    super(`breakwater: the breaker store did not answer within ${timeout} ms`);
  }
}

/**
 * `promise`, or a {@link StoreTimeoutError} after `ms`: whichever comes first. The timer is cleared
 * either way, and a late rejection of `promise` is handled here (never unhandled).
 * @internal
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, clock: Clock): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new StoreTimeoutError(ms)), ms);
    promise.then(resolve, reject).finally(() => clock.clearTimeout(timer));
  });
}
