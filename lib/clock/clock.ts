import { PolicyConfigError } from '../errors/policy-config-error.js';

/** Node turns a timer above this into 1 ms; no duration may exceed it. @internal */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const READS = ['now', 'monotonic'] as const;
const SCHEDULES = ['now', 'monotonic', 'setTimeout', 'clearTimeout'] as const;

/**
 * The one check of a value given as a clock: `now` and `monotonic` functions, and where the clock
 * schedules work too (`timers`), `setTimeout` and `clearTimeout`.
 * @internal
 */
export function isClock(value: unknown, timers: boolean): value is Clock {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (timers ? SCHEDULES : READS).every((k) => typeof c[k] === 'function');
}

/** What {@link isClock} wants, in words, for messages. @internal */
export function clockExpected(timers: boolean): string {
  return `a Clock (an object with ${timers ? 'now, monotonic, setTimeout and clearTimeout' : 'now and monotonic'} functions)`;
}

/**
 * Opaque handle returned by {@link Clock.setTimeout}.
 * @category Time
 */
export type TimerHandle = unknown;

/**
 * The only way breakwater reads time or schedules work. Wall time and monotonic time are kept
 * apart: durations (open → half-open, slow calls, windows) come from {@link Clock.monotonic}, and
 * timestamps shown to people (`at`, `openedAt`) from {@link Clock.now}.
 *
 * @example
 * ```ts
 * import { setClock, ManualClock } from 'breakwater';
 * const clock = new ManualClock();
 * setClock(clock);
 * clock.advance(30_000); // the breaker sees 30 s pass
 * ```
 * @category Time
 */
export interface Clock {
  /** Wall-clock time in epoch milliseconds; used for timestamps only. */
  now(): number;
  /** A monotonic reading in milliseconds; used for every duration. Never goes back. */
  monotonic(): number;
  /** Runs `callback` after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer created by {@link Clock.setTimeout}; a no-op for a timer that already ran. */
  clearTimeout(handle: TimerHandle): void;
}

// Globals are looked up on every call, not captured at import: `jest.useFakeTimers()` replaces them
// after our module has loaded, and must work with no extra setup.
/**
 * The process clock: `Date.now()`, `performance.now()` and the global timers, read lazily.
 * @category Time
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

let current: Clock = systemClock;

/**
 * Replaces the clock used by every policy that was not given its own `clock` option.
 * For test frameworks whose fake timers do not patch the globals; Jest's fake timers need nothing.
 *
 * @param clock - the clock to use from now on.
 * @example
 * ```ts
 * beforeEach(() => setClock(new ManualClock()));
 * afterEach(() => setClock(systemClock));
 * ```
 * @category Time
 */
export function setClock(clock: Clock): void {
  if (!isClock(clock, true)) {
    throw new PolicyConfigError('setClock()', [{ field: 'clock', value: clock, expected: clockExpected(true) }]);
  }
  current = clock;
}

/**
 * The clock currently used by policies without their own `clock` option.
 *
 * @returns the clock last passed to `setClock()`, else the system clock.
 * @example
 * ```ts
 * const startedAt = getClock().monotonic();
 * ```
 * @category Time
 */
export function getClock(): Clock {
  return current;
}
