import { resolveTimeoutOptions, type TimeoutOptions } from '../policies/timeout/options.js';
import { TimeoutPolicy } from '../policies/timeout/timeout-policy.js';
import { ExecutorPolicy, type Policy } from '../runtime/policy.js';

/**
 * A timeout for plain functions: `fn` receives a signal that aborts with a `TimeoutError` after
 * `duration` (or when the caller's signal aborts), and the call rejects with that error at once.
 *
 * @param options - the `@Timeout` options, or the duration in ms alone.
 * @returns the timeout policy.
 * @throws PolicyConfigError unless `duration` is a finite number in (0, 2^31-1].
 * @example
 * ```ts
 * const twoSeconds = timeout(2_000);
 * const res = await twoSeconds.execute((signal) => fetch(url, { signal }));
 * ```
 * @category Timeout
 */
export function timeout(options: TimeoutOptions | number): Policy {
  return new ExecutorPolicy('timeout', [new TimeoutPolicy('timeout', resolveTimeoutOptions('timeout()', options))]);
}
