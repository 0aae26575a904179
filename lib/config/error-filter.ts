/**
 * Which errors a policy acts on: a list of error classes (matched with `instanceof`) or a predicate.
 * Every entry of a list must be usable with `instanceof` (a class, not an arrow function or a
 * predicate, and no empty slot), or the policy is refused with a `PolicyConfigError` naming it; the
 * list is copied when the policy is created.
 *
 * @example
 * ```ts
 * const onNetwork: ErrorFilter = [TypeError, TimeoutError];
 * const onServerErrors: ErrorFilter = (e) => e instanceof HttpError && e.status >= 500;
 * ```
 * @category Composition
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- error classes have arbitrary constructor signatures
export type ErrorFilter = ReadonlyArray<abstract new (...args: any[]) => unknown> | ((error: unknown) => boolean);

/** @internal */
export function matchesFilter(filter: ErrorFilter, error: unknown): boolean {
  if (typeof filter === 'function') return filter(error);
  for (const cls of filter) if (error instanceof cls) return true;
  return false;
}
