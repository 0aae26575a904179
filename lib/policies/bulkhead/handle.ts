import type { Observable } from 'rxjs';
import type { BulkheadRejectedEvent } from '../../events/types.js';

/**
 * A bulkhead's state at one moment.
 *
 * @example
 * ```ts
 * const { active, queued, maxConcurrent } = getBulkhead('db')!.snapshot();
 * gauge.set('db.saturation', active / maxConcurrent);
 * ```
 * @category Bulkhead
 */
export interface BulkheadSnapshot {
  /** The bulkhead's registry name. */
  readonly name: string;
  /** Calls allowed to run at once. */
  readonly maxConcurrent: number;
  /** Calls allowed to wait for a permit (0: none wait). */
  readonly maxQueue: number;
  /** Calls holding a permit: running, or timed out but not yet settled. */
  readonly active: number;
  /** Calls waiting in the queue. */
  readonly queued: number;
  /** Free permits: `maxConcurrent - active`. */
  readonly available: number;
}

/**
 * A bulkhead at run time, from {@link getBulkhead}, {@link listBulkheads} or the policy that
 * `bulkhead()` returns. Read-only: limits are fixed when the bulkhead is declared.
 *
 * @example
 * ```ts
 * const db = getBulkhead('db');
 * db?.events$.subscribe((e) => log.warn(`db bulkhead refused a call (${e.reason})`));
 * ```
 * @category Bulkhead
 */
export interface BulkheadHandle {
  /** The registry name (`Class.method` for an unnamed decorator bulkhead, `'bulkhead'` for an anonymous functional one). */
  readonly name: string;
  /** Calls allowed to run at once. */
  readonly maxConcurrent: number;
  /** Calls allowed to wait for a permit (0: none wait). */
  readonly maxQueue: number;
  /** Calls holding a permit now. A call that timed out keeps its permit until its work settles. */
  readonly active: number;
  /** Calls waiting for a permit now. */
  readonly queued: number;
  /** The current state as a plain object. */
  snapshot(): BulkheadSnapshot;
  /** This bulkhead's events: every refused call (`'bulkhead_rejected'`). */
  readonly events$: Observable<BulkheadRejectedEvent>;
}
