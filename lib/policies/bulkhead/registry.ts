import { sharedState } from '../../shared/shared-state.js';
import { PolicyConfigError } from '../../errors/policy-config-error.js';
import { NameRegistry } from '../../runtime/registry.js';
import { BulkheadPolicy } from './bulkhead-policy.js';
import type { BulkheadHandle } from './handle.js';
import { sameLimits, type ResolvedBulkheadOptions } from './options.js';

// Named bulkheads are held strongly: a name is a shared identity the user chose, and a bulkhead
// re-created from scratch would forget the calls it is counting. Per-method bulkheads (unnamed
// decorators, registered under `Class.method`) are held weakly, so classes created at run time
// do not pile up here: their method chain holds them, and they leave with it.
// One registry per process, not per copy of the package (see lib/shared/shared-state.ts): a bulkhead
// found here may be an instance of the other copy's class, so it is only used through its methods.
const bulkheads = sharedState('bulkheadRegistry', () => new NameRegistry<BulkheadPolicy>());

/**
 * The bulkhead registered as `name`, created with `options` if there is none.
 *
 * @param where - the declaration, for the error message.
 * @param weak - hold it weakly (a per-method bulkhead named after its method).
 * @throws PolicyConfigError when `name` exists with other limits.
 * @internal
 */
export function obtainBulkhead(
  where: string,
  name: string,
  options: ResolvedBulkheadOptions,
  weak = false,
): BulkheadPolicy {
  const existing = bulkheads.get(name);
  if (existing !== undefined) {
    if (sameLimits(existing.options, options)) return existing;
    const { maxConcurrent, maxQueue, queueTimeout } = existing.options;
    throw new PolicyConfigError(where, [
      {
        field: 'name',
        value: name,
        expected: `a name not already used by a bulkhead with other limits ('${name}' has maxConcurrent ${maxConcurrent}, maxQueue ${maxQueue}, queueTimeout ${String(queueTimeout)}${existing.options.clock === options.clock ? '' : ' and another clock'})`,
      },
    ]);
  }
  const bulkhead = new BulkheadPolicy(name, options);
  if (weak) bulkheads.holdWeakly(name, bulkhead);
  else bulkheads.holdStrongly(name, bulkhead);
  return bulkhead;
}

/**
 * The bulkhead registered under `name`: an explicit `name`, or `Class.method` for an unnamed
 * `@Bulkhead` (registered at the method's first call).
 *
 * @param name - the registry name.
 * @returns its handle, or `undefined` when there is none.
 * @example
 * ```ts
 * const db = getBulkhead('db');
 * if (db && db.queued > 0) log.info(`${db.queued} queries waiting for a connection`);
 * ```
 * @category Bulkhead
 */
export function getBulkhead(name: string): BulkheadHandle | undefined {
  return bulkheads.get(name);
}

/**
 * Every registered bulkhead (anonymous functional ones are not registered).
 *
 * @returns their handles, in the order they were registered.
 * @example
 * ```ts
 * for (const b of listBulkheads()) gauge.set(`bulkhead.${b.name}.active`, b.active);
 * ```
 * @category Bulkhead
 */
export function listBulkheads(): BulkheadHandle[] {
  return bulkheads.values();
}
