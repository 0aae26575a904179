import type { Observable } from 'rxjs';
import type { BulkheadRejectedEvent } from '../events/types.js';
import { BulkheadPolicy } from '../policies/bulkhead/bulkhead-policy.js';
import type { BulkheadHandle, BulkheadSnapshot } from '../policies/bulkhead/handle.js';
import { resolveBulkheadOptions, type BulkheadOptions } from '../policies/bulkhead/options.js';
import { obtainBulkhead } from '../policies/bulkhead/registry.js';
import { ExecutorPolicy, type Policy } from '../runtime/policy.js';

/** The policy `bulkhead()` returns: runnable, composable, and the bulkhead's handle. @internal */
class FunctionalBulkhead extends ExecutorPolicy implements BulkheadHandle {
  constructor(private readonly core: BulkheadPolicy) {
    super('bulkhead', [core]);
  }
  get name(): string {
    return this.core.name;
  }
  get maxConcurrent(): number {
    return this.core.maxConcurrent;
  }
  get maxQueue(): number {
    return this.core.maxQueue;
  }
  get active(): number {
    return this.core.active;
  }
  get queued(): number {
    return this.core.queued;
  }
  get events$(): Observable<BulkheadRejectedEvent> {
    return this.core.events$;
  }
  snapshot(): BulkheadSnapshot {
    return this.core.snapshot();
  }
}

/**
 * A bulkhead for plain functions: at most `maxConcurrent` run at once, up to `maxQueue` wait.
 * With a `name` it is the registered bulkhead of that name (shared with `@Bulkhead({ name })`);
 * without one it is anonymous (named `'bulkhead'`, not registered). The returned policy is also
 * the bulkhead's handle (`active`, `queued`, `snapshot()`, `events$`).
 *
 * @param options - the `@Bulkhead` options, or `maxConcurrent` alone.
 * @throws PolicyConfigError for invalid options, or a `name` already used with other limits.
 * @example
 * ```ts
 * const db = bulkhead({ name: 'db', maxConcurrent: 10, maxQueue: 50 });
 * const rows = await db.execute((signal) => pool.query(sql, { signal }));
 * ```
 * @category Bulkhead
 */
export function bulkhead(options: BulkheadOptions | number): Policy & BulkheadHandle {
  const where = 'bulkhead()';
  const resolved = resolveBulkheadOptions(where, options);
  const core =
    resolved.name === undefined
      ? new BulkheadPolicy('bulkhead', resolved)
      : obtainBulkhead(where, resolved.name, resolved);
  return new FunctionalBulkhead(core);
}
