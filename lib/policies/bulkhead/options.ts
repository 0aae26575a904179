import type { Clock } from '../../clock/clock.js';
import { readOptions } from '../../config/read-options.js';
import { OptionsValidator } from '../../config/validator.js';
import { PolicyConfigError } from '../../errors/policy-config-error.js';

/**
 * Options of `@Bulkhead` and `bulkhead()`: how many calls may run at once and how many may wait.
 *
 * @example
 * ```ts
 * const options: BulkheadOptions = { name: 'db', maxConcurrent: 10, maxQueue: 50, queueTimeout: 1_000 };
 * ```
 * @category Bulkhead
 */
export interface BulkheadOptions {
  /**
   * Registry key: every bulkhead with this name, decorator or functional, is the same one.
   * @defaultValue `Class.method` for a decorator (one bulkhead per method, shared by all objects);
   * an anonymous bulkhead named `'bulkhead'` for `bulkhead()`
   */
  readonly name?: string;
  /** Calls allowed to run at the same time: an integer ≥ 1. */
  readonly maxConcurrent: number;
  /**
   * Calls allowed to wait, first in first out, for a free slot: an integer ≥ 0.
   * @defaultValue 0 (reject at once when every slot is taken)
   */
  readonly maxQueue?: number;
  /**
   * Longest wait in the queue, in ms; past it the call rejects with `BulkheadFullError`
   * (`reason: 'queue_timeout'`). Without it a waiter waits until a slot frees, its caller aborts,
   * or an outer `@Timeout` fires.
   * @defaultValue no limit
   */
  readonly queueTimeout?: number;
  /**
   * The clock for `queueTimeout` and event timestamps.
   * @defaultValue the global clock (`getClock()`), read at each use
   */
  readonly clock?: Clock;
}

/** Validated bulkhead options with defaults applied. @internal */
export interface ResolvedBulkheadOptions {
  readonly name: string | undefined;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly queueTimeout: number | undefined;
  readonly clock: Clock | undefined;
}

const KNOWN = ['name', 'maxConcurrent', 'maxQueue', 'queueTimeout', 'clock'] as const;

/**
 * Reads bulkhead options once (an options object or the `maxConcurrent` number), checks them and
 * applies defaults.
 *
 * @param where - what is being configured, for the error message.
 * @param input - the options as the user gave them.
 * @throws PolicyConfigError listing every invalid field.
 * @internal
 */
export function resolveBulkheadOptions(where: string, input: unknown): ResolvedBulkheadOptions {
  if (typeof input === 'number') input = { maxConcurrent: input };
  if (input === undefined) {
    throw new PolicyConfigError(where, [
      { field: 'maxConcurrent', value: undefined, expected: 'an integer ≥ 1 (a bulkhead needs a limit)' },
    ]);
  }
  const v = new OptionsValidator(where);
  const options = readOptions(v, input, KNOWN);
  v.string('name', options.name, true);
  v.integer('maxConcurrent', options.maxConcurrent, 1);
  v.integer('maxQueue', options.maxQueue, 0, Number.MAX_SAFE_INTEGER, true);
  v.duration('queueTimeout', options.queueTimeout, 0, true);
  v.clock('clock', options.clock, true);
  v.done();
  return {
    name: options.name as string | undefined,
    maxConcurrent: options.maxConcurrent as number,
    maxQueue: (options.maxQueue as number | undefined) ?? 0,
    queueTimeout: options.queueTimeout as number | undefined,
    clock: options.clock as Clock | undefined,
  };
}

/** True when two declarations of one named bulkhead agree (the clock compares by identity). @internal */
export function sameLimits(a: ResolvedBulkheadOptions, b: ResolvedBulkheadOptions): boolean {
  return (
    a.maxConcurrent === b.maxConcurrent &&
    a.maxQueue === b.maxQueue &&
    a.queueTimeout === b.queueTimeout &&
    a.clock === b.clock
  );
}
