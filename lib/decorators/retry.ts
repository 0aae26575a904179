import { retryDeclaration } from '../policies/retry/declaration.js';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from '../policies/retry/options.js';
import { retryOptionsNow } from './policy-defaults.js';
import { makeDecorator, prepare, rejectUncalled, type AsyncMethod } from './make-decorator.js';
import type { AsyncMethodReturning, KnowsMethod, SiteResult } from './method-site.js';

/**
 * The decorator `@Retry(options)` returns, for both decorator modes. Its type parameters are
 * inferred from the method it is written on, so that `retryOnResult` receives the method's result
 * type. A decorator created away from a method (`const r = Retry({ retryOnResult })`) accepts only
 * methods whose result `retryOnResult` can receive.
 *
 * @typeParam T - the result type `retryOnResult` was written for (checked where the method is not known).
 * @typeParam C - inferred from the decorated method (see {@link MethodAwareDecorator}).
 * @typeParam D - inferred from the decorated method.
 * @category Retry
 */
export interface RetryDecorator<T, C, D extends AsyncMethod> {
  /** Standard (TC39) decorator form. */
  (value: KnowsMethod<C> extends true ? AsyncMethod : AsyncMethodReturning<T>, context: C): void;
  /** `experimentalDecorators` form. */
  (
    target: object,
    propertyKey: C,
    descriptor: KnowsMethod<C> extends true ? TypedPropertyDescriptor<D> : { readonly value?: AsyncMethodReturning<T> },
  ): void;
}

/**
 * Retries a failing async method: up to `maxAttempts` attempts in all, sleeping between them
 * (exponential backoff with full jitter by default). When attempts run out, the last error is
 * rethrown unchanged, after a `retry_exhausted` event on `events$`. Placed inside `@CircuitBreaker` by default, so one call and all its retries
 * are one breaker outcome, and an open circuit is never retried.
 *
 * `retryOnResult` is typed by the method's result: on a method returning `Promise<Receipt>` it
 * receives a `Receipt`, and a predicate written for another type is a compile error.
 *
 * @typeParam T - inferred: the result type an annotated `retryOnResult` was written for.
 * @typeParam C - inferred from the decorated method (see {@link MethodAwareDecorator}).
 * @typeParam D - inferred from the decorated method.
 * @param options - see {@link RetryOptions}; all optional.
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError at class definition when an option is invalid (every bad field listed),
 *   when the method already has a `@Retry`, or when it is written `@Retry` without its call.
 * @example
 * ```ts
 * class Inventory {
 *   @Retry({ maxAttempts: 4, delay: 200, retryOn: [NetworkError] })
 *   async stock(sku: string): Promise<number> { … }
 *
 *   @Retry({ maxAttempts: 10, retryOnResult: (job) => job.status === 'pending' }) // job: Job
 *   async job(id: string): Promise<Job> { … }
 * }
 * ```
 * @category Retry
 * @group Decorators
 */
export function Retry<T = unknown, C = unknown, D extends AsyncMethod = AsyncMethod>(
  options?: RetryOptions<KnowsMethod<C> extends true ? SiteResult<C, D> : T>,
): RetryDecorator<T, C, D> {
  // eslint-disable-next-line prefer-rest-params -- the signature stays the one users see
  rejectUncalled('Retry', arguments, '@Retry()');
  const prepared = prepare(() => resolveRetryOptions('@Retry', options as RetryOptions));
  const now = (resolved: ResolvedRetryOptions) => (label: string) => retryOptionsNow(resolved, `@Retry on ${label}`);
  return makeDecorator('Retry', (_site, resolved) => retryDeclaration(resolved, options, now(resolved)), {
    kind: 'retry',
    prepared,
  }) as RetryDecorator<T, C, D>;
}
