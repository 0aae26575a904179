import { brandOf, ResilienceError } from './resilience-error.js';

/**
 * Thrown when a bulkhead has no free slot and no room in its queue, or when a queued call waited
 * longer than `queueTimeout`.
 *
 * @example
 * ```ts
 * if (isBulkheadFullError(e)) res.status(503).end();
 * ```
 * @category Bulkhead
 * @category Errors
 */
export class BulkheadFullError extends ResilienceError {
  /** The `code` of every instance, for comparisons without an instance. */
  static readonly CODE = 'ERR_BULKHEAD_FULL';
  override readonly code = 'ERR_BULKHEAD_FULL';

  /**
   * @param bulkheadName - the bulkhead that refused the call.
   * @param maxConcurrent - its concurrency limit.
   * @param maxQueue - its queue limit.
   * @param reason - `'full'` when over capacity, `'queue_timeout'` when the wait expired.
   */
  constructor(
    readonly bulkheadName: string,
    readonly maxConcurrent: number,
    readonly maxQueue: number,
    readonly reason: 'full' | 'queue_timeout' = 'full',
  ) {
    super(
      reason === 'full'
        ? `Bulkhead '${bulkheadName}' is full (${maxConcurrent} running, ${maxQueue} queued at most)`
        : `Bulkhead '${bulkheadName}': no slot became free within the queue timeout`,
      'ERR_BULKHEAD_FULL',
    );
  }
}

/**
 * True when `error` is a {@link BulkheadFullError}, from this copy of the package or another.
 *
 * @param error - anything caught.
 * @returns whether `error` is a `BulkheadFullError` (and narrows its type).
 * @example
 * ```ts
 * if (isBulkheadFullError(e)) shedLoad();
 * ```
 * @category Bulkhead
 * @category Errors
 */
export function isBulkheadFullError(error: unknown): error is BulkheadFullError {
  return brandOf(error) === BulkheadFullError.CODE;
}
