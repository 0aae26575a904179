import { resolveTimeoutOptions, type TimeoutOptions } from '../policies/timeout/options.js';
import { timeoutDeclaration } from '../policies/timeout/declaration.js';
import { makeDecorator, prepare, rejectUncalled, type ResilienceDecorator } from './make-decorator.js';

/**
 * Rejects an attempt with `TimeoutError` when it takes longer than `duration` (per attempt under
 * `@Retry`, bulkhead queue wait included). The method's signal — the `AbortSignal` it receives in
 * place of a caller's signal passed as its last argument, or `currentSignal()` — aborts with that
 * error, so work that listens stops; work that ignores it keeps its bulkhead permit until it settles.
 *
 * @param options - the options, or the duration in ms alone.
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError at class definition unless `duration` is a finite number in (0, 2^31-1],
 *   or for a second `@Timeout` on the method, or `@Timeout` written without its call.
 * @example
 * ```ts
 * class Users {
 *   @Timeout(2_000)
 *   async get(id: string, signal?: AbortSignal): Promise<User> {
 *     return (await fetch(`${base}/users/${id}`, { signal })).json() as Promise<User>;
 *   }
 * }
 * ```
 * @category Timeout
 * @group Decorators
 */
export function Timeout(options: TimeoutOptions | number): ResilienceDecorator {
  // eslint-disable-next-line prefer-rest-params -- the signature stays the one users see
  rejectUncalled('Timeout', arguments, '@Timeout(2_000) or @Timeout({ duration: 2_000 })');
  const prepared = prepare(() => resolveTimeoutOptions('@Timeout', options));
  return makeDecorator('Timeout', (_site, resolved) => timeoutDeclaration(resolved, options), {
    kind: 'timeout',
    prepared,
  });
}
