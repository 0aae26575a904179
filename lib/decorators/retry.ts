import { retryDeclaration } from '../policies/retry/declaration.js';
import { resolveRetryOptions, type RetryOptions } from '../policies/retry/options.js';
import { makeDecorator, prepare, rejectUncalled, type ResilienceDecorator } from './make-decorator.js';

/**
 * Retries a failing async method: up to `maxAttempts` attempts in all, sleeping between them
 * (exponential backoff with full jitter by default). When attempts run out, the last error is
 * rethrown unchanged, after a `retry_exhausted` event on `events$`. Placed inside `@CircuitBreaker` by default, so one call and all its retries
 * are one breaker outcome, and an open circuit is never retried.
 *
 * @param options - see {@link RetryOptions}; all optional.
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError at class definition when an option is invalid (every bad field listed),
 *   when the method already has a `@Retry`, or when it is written `@Retry` without its call.
 * @example
 * ```ts
 * class Inventory {
 *   @Retry({ maxAttempts: 4, delay: 200, retryOn: [NetworkError] })
 *   async stock(sku: string): Promise<number> { … }
 * }
 * ```
 */
export function Retry(options?: RetryOptions): ResilienceDecorator {
  // eslint-disable-next-line prefer-rest-params -- the signature stays the one users see
  rejectUncalled('Retry', arguments, '@Retry()');
  const prepared = prepare(() => resolveRetryOptions('@Retry', options));
  return makeDecorator('Retry', (_site, resolved) => retryDeclaration(resolved, options), { kind: 'retry', prepared });
}
