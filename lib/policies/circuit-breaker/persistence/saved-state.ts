import type { CircuitState } from '../../../events/types.js';

/**
 * One bucket of a saved time window: the counted calls whose outcome fell in it.
 *
 * @example
 * ```ts
 * const bucket: CircuitBreakerSavedBucket = { at: 1_700_000_000_000, calls: 4, failures: 1, slowCalls: 0, slowFailures: 0 };
 * ```
 * @category Circuit breaker
 */
export interface CircuitBreakerSavedBucket {
  /** Wall-clock time (epoch ms) at which the bucket starts. */
  readonly at: number;
  /** Counted calls in the bucket: an integer ≥ 1. */
  readonly calls: number;
  /** Failures among them: an integer from 0 to `calls`. */
  readonly failures: number;
  /** Slow calls among them: an integer from 0 to `calls`. */
  readonly slowCalls: number;
  /** Slow failures among them: an integer from 0 to the smaller of `failures` and `slowCalls`. */
  readonly slowFailures: number;
}

/**
 * The sliding window of a saved breaker, with the window options it was saved with: a state
 * restores only into a breaker with the same `slidingWindow`.
 *
 * - `count`: `outcomes` holds one letter per call, oldest first: `s` success, `f` failure, and in
 *   capitals when the call was slow (`S`, `F`); at most `size` letters.
 * - `time`: the buckets that held calls, oldest first, each with its wall-clock start time.
 *
 * @example
 * ```ts
 * const byCount: CircuitBreakerSavedWindow = { type: 'count', size: 100, outcomes: 'ssfsF' };
 * const byTime: CircuitBreakerSavedWindow = { type: 'time', duration: 60_000, buckets: [] };
 * ```
 * @category Circuit breaker
 */
export type CircuitBreakerSavedWindow =
  | {
      /** A count window. */
      readonly type: 'count';
      /** Its `slidingWindow.size`. */
      readonly size: number;
      /** One letter per call, oldest first: `s`, `f`, `S` (slow success), `F` (slow failure). */
      readonly outcomes: string;
    }
  | {
      /** A time window. */
      readonly type: 'time';
      /** Its `slidingWindow.duration`, ms. */
      readonly duration: number;
      /** The buckets that held calls, oldest first. */
      readonly buckets: readonly CircuitBreakerSavedBucket[];
    };

/**
 * Everything a breaker needs to go on deciding as it would have, as plain JSON-safe data: from
 * `handle.saveState()`, given back as the `initialState` option (in another process, after a
 * deploy). Versioned by `v`. Times are wall-clock epoch ms, because a monotonic clock does not
 * survive a process: an open circuit restored later keeps only the open time it has left.
 *
 * Not saved: the counters of `snapshot().metrics` (they count per process), calls in flight (their
 * process is gone, so a half-open circuit comes back with every probe slot free, and with no probe
 * outstanding, nothing for `halfOpenMaxWait` to time) and event subscriptions. See docs/circuit-breaker.md, "Surviving a restart".
 *
 * @example
 * ```ts
 * const saved: CircuitBreakerSavedState = payments.saveState();
 * writeFileSync('payments.json', JSON.stringify(saved));
 * // next process:
 * const payments = circuitBreaker({ name: 'payments', initialState: JSON.parse(readFileSync('payments.json', 'utf8')) });
 * ```
 * @category Circuit breaker
 */
export interface CircuitBreakerSavedState {
  /** The format version. A later format gets another number; this version of breakwater reads 1 only. */
  readonly v: 1;
  /** The state when saved. */
  readonly state: CircuitState;
  /** When it was saved, epoch ms (for your information: restoring does not read it). */
  readonly savedAt: number;
  /** Epoch ms of the latest opening (open or forced open), or `null`, as in `snapshot()`. */
  readonly openedAt: number | null;
  /** `'open'` and `'half_open'`: the number of openings in a row (≥ 1); otherwise 0. */
  readonly consecutiveOpens: number;
  /** `'open'`: epoch ms at which probes are admitted; otherwise `null`. */
  readonly openUntil: number | null;
  /** `'half_open'`: probes that succeeded so far (below `successThreshold`); otherwise 0. */
  readonly probeSuccesses: number;
  /** Failures since the last success (what `failureThreshold` counts when no `failureWindow` is set). */
  readonly consecutiveFailures: number;
  /** With a `failureWindow`: epoch ms of the latest failures (at most `failureThreshold`), oldest first; otherwise empty. */
  readonly failureTimes: readonly number[];
  /** The sliding window of the latest closed period. */
  readonly window: CircuitBreakerSavedWindow;
}
