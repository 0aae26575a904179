import type { RetryOptions } from '../policies/retry/options.js';
import { resolveRetryOptions } from '../policies/retry/options.js';
import { RetryExecutor } from '../policies/retry/retry-executor.js';
import { ExecutorPolicy, type Policy } from './policy.js';

/**
 * A retry policy for plain functions: the same options and behaviour as `@Retry`.
 *
 * @param options - see {@link RetryOptions}; all optional.
 * @returns a policy whose `execute(fn, signal?)` runs `fn` with retries; composable with `compose()`.
 * @throws PolicyConfigError when an option is invalid (every bad field listed).
 * @example
 * ```ts
 * const policy = retry({ maxAttempts: 3, delay: 50 });
 * const user = await policy.execute((signal) => fetchUser(id, signal), request.signal);
 * ```
 * @category Retry
 */
export function retry(options?: RetryOptions): Policy {
  return new ExecutorPolicy('retry', [new RetryExecutor(resolveRetryOptions('retry()', options), 'retry')]);
}
