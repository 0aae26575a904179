import type { OptionsSnapshot } from '../../../config/read-options.js';
import type { OptionsValidator } from '../../../config/validator.js';

const STORE_EXPECTED =
  "a breaker store (an object with session(), commandTimeout and onStoreFailure, such as redisStore() from 'breakwater/redis')";

/** Whether `value` has the shape of a {@link BreakerStore}. @internal */
export function isBreakerStore(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as { session?: unknown; commandTimeout?: unknown; onStoreFailure?: unknown };
  return (
    typeof s.session === 'function' &&
    typeof s.commandTimeout === 'number' &&
    s.commandTimeout > 0 &&
    (s.onStoreFailure === 'local' || s.onStoreFailure === 'open' || s.onStoreFailure === 'closed')
  );
}

/**
 * Checks `store` and `consistency`, and what a store rules out: a shared circuit is found by its
 * name, belongs to no single object, and takes its state from the store, not from a saved one.
 * @internal
 */
export function checkStore(
  v: OptionsValidator,
  o: OptionsSnapshot<'store' | 'consistency' | 'name' | 'scope' | 'initialState'>,
): void {
  v.oneOf('consistency', o.consistency, ['eventual', 'strict'], true);
  if (o.store === undefined) {
    if (o.consistency === 'strict') v.fail('consistency', o.consistency, "'eventual' (or omitted) without a store");
    return;
  }
  if (!isBreakerStore(o.store)) {
    v.fail('store', o.store, STORE_EXPECTED);
    return;
  }
  if (o.name === undefined) {
    v.fail('name', undefined, 'a non-empty string (required by store: processes share a breaker by its name)');
  }
  if (o.scope === 'instance') {
    v.fail('scope', o.scope, "'shared' (a store shares one breaker by name; per-instance breakers stay local)");
  }
  if (o.initialState !== undefined) {
    v.fail('initialState', '(a saved state)', 'omitted with a store (the store holds the state)');
  }
}
