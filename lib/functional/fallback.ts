import { FallbackExecutor } from '../policies/fallback/fallback-executor.js';
import { resolveFallbackOptions, type FallbackHandler, type FallbackOptions } from '../policies/fallback/options.js';
import { ExecutorPolicy, type Policy } from './policy.js';

/**
 * A fallback policy for plain functions: `handler(error)` replaces a matching failure (an open
 * circuit, a full bulkhead, a timeout or any error), never a caller's abort. If the handler throws,
 * the caller gets that error with `cause` set to the original one.
 *
 * @param handler - `(error) => result`, or {@link staleResult}().
 * @param options - `on`: which errors to replace (others are rethrown unchanged).
 * @returns the fallback policy.
 * @throws PolicyConfigError when the handler is not a function or an option is invalid.
 * @example
 * ```ts
 * const policy = compose(fallback(() => cachedRates), circuitBreaker({ name: 'rates' }), retry());
 * const rates = await policy.execute((signal) => fetchRates(signal));
 * ```
 * @category Fallback
 */
export function fallback<R>(handler: FallbackHandler<[], R>, options?: FallbackOptions): Policy {
  const resolved = resolveFallbackOptions('fallback()', handler, options, false);
  return new ExecutorPolicy('fallback', [new FallbackExecutor(handler, resolved, 'fallback')]);
}
