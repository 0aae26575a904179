import type { Observable } from 'rxjs';
import type { CircuitState, CircuitStateChange, ResilienceEvent } from '../../events/types.js';

/**
 * A breaker's counters. Totals count since creation or the last `reset()`:
 * `totalCalls = successfulCalls + failedCalls + rejectedCalls + ignoredCalls`. Rates are fractions
 * in [0, 1] over the sliding window of the latest closed period (0 when it is empty, never NaN).
 *
 * @example
 * ```ts
 * const { failureRate, rejectedCalls } = getCircuitBreaker('payments')!.snapshot().metrics;
 * ```
 * @category Circuit breaker
 */
export interface CircuitBreakerMetrics {
  /** Every call that reached the breaker: `successfulCalls + failedCalls + rejectedCalls + ignoredCalls`. */
  readonly totalCalls: number;
  /** Calls that succeeded and counted as successes. */
  readonly successfulCalls: number;
  /** Calls that failed and counted as failures (per `failurePredicate`). */
  readonly failedCalls: number;
  /** Calls refused by an open, forced-open or saturated half-open circuit. */
  readonly rejectedCalls: number;
  /** Outcomes that counted neither way: filtered by `failurePredicate`, a caller's abort, a bulkhead rejection, or a stale outcome. */
  readonly ignoredCalls: number;
  /** Counted outcomes (success or failure) that took at least `slowCallDuration`. */
  readonly slowCalls: number;
  /** Share of failures among the counted calls in the window, in [0, 1]. */
  readonly failureRate: number;
  /** Share of slow calls among the counted calls in the window, in [0, 1]. */
  readonly slowCallRate: number;
  /** Failures since the last success. */
  readonly consecutiveFailures: number;
  /** Successes since the last failure. */
  readonly consecutiveSuccesses: number;
  /** Real state changes. */
  readonly stateTransitions: number;
}

/**
 * A point-in-time view of a breaker.
 *
 * @example
 * ```ts
 * const s = getCircuitBreaker('payments')?.snapshot();
 * if (s?.state === CircuitState.Open) log.warn(`opened at ${new Date(s.openedAt!).toISOString()}`);
 * ```
 * @category Circuit breaker
 */
export interface CircuitBreakerSnapshot {
  /** The breaker's registry name. */
  readonly name: string;
  /** The state as last decided (no pending time-driven change applied). */
  readonly state: CircuitState;
  /** Epoch ms of the latest opening (open or forced open), kept after closing; null before the first and after `reset()`. */
  readonly openedAt: number | null;
  /** The breaker's counters and rates. */
  readonly metrics: CircuitBreakerMetrics;
}

/**
 * A circuit breaker at run time, from {@link getCircuitBreaker}, {@link listCircuitBreakers} or
 * `circuitBreaker()`.
 *
 * @example
 * ```ts
 * const payments = getCircuitBreaker('payments');
 * payments?.stateChanges$.subscribe(({ to, reason }) => log.info(`payments → ${to} (${reason})`));
 * payments?.forceOpen(); // maintenance window: reject every call
 * payments?.reset();     // back to closed, counters zeroed
 * ```
 * @category Circuit breaker
 */
export interface CircuitBreakerHandle {
  /** The registry name (anonymous functional breakers: `'circuitBreaker'`). */
  readonly name: string;
  /**
   * The current state, as last decided. A plain read: time-driven changes (open → half-open,
   * `halfOpenMaxWait`) are applied when the next call arrives, not by a timer.
   */
  readonly state: CircuitState;
  /** Counters and state now. Like {@link CircuitBreakerHandle.state}, applies no pending time-driven change. */
  snapshot(): CircuitBreakerSnapshot;
  /** This breaker's state changes, exactly once per real transition, in order. */
  readonly stateChanges$: Observable<CircuitStateChange>;
  /** This breaker's events: success, failure, ignored, rejected, state_change. */
  readonly events$: Observable<ResilienceEvent>;
  /** Rejects every call (`retryAfter: Infinity`) until `reset()` (or `disable()`). */
  forceOpen(): void;
  /** Lets every call through and opens never, until `reset()` (or `forceOpen()`). */
  disable(): void;
  /** Back to closed; every counter, window and `openedAt` start afresh, and outcomes of calls admitted before are ignored. */
  reset(): void;
}
