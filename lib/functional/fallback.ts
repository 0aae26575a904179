import { FallbackPolicy } from '../policies/fallback/fallback-policy.js';
import { resolveFallbackOptions, type FallbackHandler, type FallbackOptions } from '../policies/fallback/options.js';
import type { StaleResultHandler } from '../policies/fallback/stale-result.js';
import { ExecutorPolicy, type Policy } from '../runtime/policy.js';

/**
 * A fallback policy for plain functions that serves the last successful result of the same call:
 * it only ever resolves with what `fn` resolved with before, so `execute` keeps `fn`'s result type.
 *
 * @param handler - {@link staleResult}().
 * @param options - `on`: which errors to replace (others are rethrown unchanged).
 * @returns the fallback policy, typed as a plain {@link Policy}.
 * @throws PolicyConfigError when an option is invalid.
 * @example
 * ```ts
 * const rates = fallback(staleResult({ ttl: 60_000 }));
 * const latest: Rates = await rates.execute((signal) => fetchRates(signal));
 * ```
 */
export function fallback(handler: StaleResultHandler, options?: FallbackOptions): Policy;
/**
 * A fallback policy for plain functions: `handler(error)` replaces a matching failure (an open
 * circuit, a full bulkhead, a timeout or any error), never a caller's abort. If the handler throws,
 * the caller gets that error with `cause` set to the original one.
 *
 * The policy's `execute(fn)` resolves to `T | R`: `fn`'s result or the handler's (awaited) result,
 * and so does a `compose()` that contains it.
 *
 * @typeParam R - what the handler resolves with (inferred).
 * @param handler - `(error) => result` (or a Promise of it).
 * @param options - `on`: which errors to replace (others are rethrown unchanged).
 * @returns the fallback policy, a `Policy<R>`.
 * @throws PolicyConfigError when the handler is not a function or an option is invalid.
 * @example
 * ```ts
 * const policy = compose(fallback(() => cachedRates), circuitBreaker({ name: 'rates' }), retry());
 * const rates = await policy.execute((signal) => fetchRates(signal)); // Rates | typeof cachedRates
 * ```
 * @category Fallback
 */
export function fallback<R>(handler: FallbackHandler<[], R>, options?: FallbackOptions): Policy<R>;
export function fallback(handler: FallbackHandler<[], unknown>, options?: FallbackOptions): Policy<unknown> {
  const resolved = resolveFallbackOptions('fallback()', handler, options, false);
  return new ExecutorPolicy('fallback', [new FallbackPolicy(handler, resolved, 'fallback')]);
}
