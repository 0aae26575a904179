import type { RetryOptions } from '../policies/retry/options.js';
import { resolveRetryOptions } from '../policies/retry/options.js';
import { RetryPolicy } from '../policies/retry/retry-policy.js';
import { ExecutorPolicy, type Policy } from '../runtime/policy.js';

/**
 * A retry policy for plain functions: the same options and behaviour as `@Retry`. `fn` receives
 * the attempt as its second argument (`{ attempt }`, from 1); running out of attempts publishes
 * `retry_exhausted` on `events$`.
 *
 * `retryOnResult` receives what `fn` resolves with. A function cannot be known when the policy is
 * created, so give its type: `retry<Job>({ retryOnResult: (job) => job.pending })`, or annotate the
 * predicate's parameter. The policy then accepts only functions that resolve with a `Job` (a
 * `Policy<never, Job>`); without `retryOnResult` it accepts any function.
 *
 * @typeParam T - what the retried functions resolve with. @defaultValue `unknown` (any function)
 * @param options - see {@link RetryOptions}; all optional.
 * @returns a policy whose `execute(fn, signal?)` runs `fn` with retries; composable with `compose()`.
 * @throws PolicyConfigError when an option is invalid (every bad field listed).
 * @example
 * ```ts
 * const policy = retry({ maxAttempts: 3, delay: 50 });
 * const user = await policy.execute((signal, { attempt }) => fetchUser(id, signal, attempt), request.signal);
 *
 * const untilDone = retry<Job>({ maxAttempts: 10, retryOnResult: (job) => job.status === 'pending' });
 * const job = await untilDone.execute((signal) => fetchJob(jobId, signal));
 * ```
 * @category Retry
 */
export function retry<T = unknown>(options?: RetryOptions<T>): Policy<never, T> {
  return new ExecutorPolicy('retry', [new RetryPolicy(resolveRetryOptions('retry()', options), 'retry')]);
}
