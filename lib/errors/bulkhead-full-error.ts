import { brandOf, ResilienceError } from './resilience-error.js';

/**
 * Where a bulkhead put the rejection it raised: the bulkhead itself, under a non-enumerable
 * registered symbol (so a breaker of another copy of the package reads it too). A breaker compares
 * it with the bulkhead of its own chain: only that one's rejections say nothing about the dependency.
 * @internal
 */
export const BULKHEAD_ORIGIN: unique symbol = Symbol.for('breakwater.bulkhead.origin') as never;

/**
 * The bulkhead that raised `error` (see {@link BULKHEAD_ORIGIN}); `undefined` for anything else,
 * including a `BulkheadFullError` constructed by user code. Never throws.
 * @internal
 */
export function bulkheadOrigin(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    return Object.prototype.hasOwnProperty.call(error, BULKHEAD_ORIGIN)
      ? (error as { [BULKHEAD_ORIGIN]: unknown })[BULKHEAD_ORIGIN]
      : undefined;
  } catch {
    return undefined;
  }
}

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
