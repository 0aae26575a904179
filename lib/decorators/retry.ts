import { retryDeclaration } from '../policies/retry/declaration.js';
import type { RetryOptions } from '../policies/retry/options.js';
import { makeDecorator, type ResilienceDecorator } from './make-decorator.js';

/**
 * Retries a failing async method: up to `maxAttempts` attempts in all, sleeping between them
 * (exponential backoff with full jitter by default). When attempts run out, the last error is
 * rethrown unchanged. Placed inside `@CircuitBreaker` by default, so one call and all its retries
 * are one breaker outcome, and an open circuit is never retried.
 *
 * @param options - see {@link RetryOptions}; all optional.
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError at class definition when an option is invalid (every bad field listed).
 * @example
 * ```ts
 * class Inventory {
 *   @Retry({ maxAttempts: 4, delay: 200, retryOn: [NetworkError] })
 *   async stock(sku: string): Promise<number> { … }
 * }
 * ```
 * @category Retry
 * @group Decorators
 */
export function Retry(options?: RetryOptions): ResilienceDecorator {
  return makeDecorator('Retry', (site) => retryDeclaration(site.where, options));
}
