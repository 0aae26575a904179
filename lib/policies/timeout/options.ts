import type { Clock } from '../../clock/clock.js';
import { readOptions } from '../../config/read-options.js';
import { MAX_TIMER_MS, OptionsValidator } from '../../config/validator.js';

/**
 * Options of `@Timeout` and `timeout()`.
 *
 * @example
 * ```ts
 * const options: TimeoutOptions = { duration: 2_000 };
 * ```
 * @category Timeout
 */
export interface TimeoutOptions {
  /** How long one attempt may take, in ms (bulkhead queue wait included): finite, > 0, ≤ 2^31-1. */
  readonly duration: number;
  /**
   * The clock that schedules the timer.
   * @defaultValue the global clock (`getClock()`), read at each call
   */
  readonly clock?: Clock;
}

/** Validated timeout options. @internal */
export interface ResolvedTimeoutOptions {
  readonly duration: number;
  readonly clock: Clock | undefined;
}

const KNOWN = ['duration', 'clock'] as const;

/**
 * Reads timeout options once (an options object or the duration), checks them and returns them.
 *
 * @param where - what is being configured, for the error message.
 * @param input - the options as the user gave them.
 * @throws PolicyConfigError listing every invalid field.
 * @internal
 */
export function resolveTimeoutOptions(where: string, input: unknown): ResolvedTimeoutOptions {
  const v = new OptionsValidator(where);
  const options = readOptions(v, typeof input === 'number' ? { duration: input } : input, KNOWN);
  const duration = options.duration;
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration <= 0 || duration > MAX_TIMER_MS) {
    v.fail('duration', duration, `a number of milliseconds greater than 0 and at most ${MAX_TIMER_MS}`);
  }
  v.clock('clock', options.clock, true);
  v.done();
  return { duration: duration as number, clock: options.clock as Clock | undefined };
}
