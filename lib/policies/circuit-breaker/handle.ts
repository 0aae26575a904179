import type { Observable } from 'rxjs';
import type { CircuitState, CircuitStateChange, ResilienceEvent } from '../../events/types.js';
import type { ResetTimeout, SlidingWindowOptions } from './options.js';
import type { CircuitBreakerSavedState } from './persistence/saved-state.js';

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
  /**
   * Milliseconds until an open circuit lets a probe through (0 when that time has passed and the next
   * call will be one), `Infinity` while forced open, `null` in every other state.
   */
  readonly retryAfter: number | null;
  /** What the sliding window holds now: the calls its rates are computed over. */
  readonly window: CircuitBreakerWindow;
}

/**
 * The counted outcomes inside a breaker's sliding window (Resilience4j's "buffered calls"): the
 * failure rate is `failedCalls / calls` and the slow-call rate `slowCalls / calls` once `calls`
 * reaches `minimumCalls`.
 * @category Circuit breaker
 */
export interface CircuitBreakerWindow {
  /** Counted calls (successes and failures) in the window. */
  readonly calls: number;
  /** Failures among them. */
  readonly failedCalls: number;
  /** Slow calls among them (successes and failures that took at least `slowCallDuration`). */
  readonly slowCalls: number;
  /** Slow calls that failed (`slowCalls - slowFailedCalls` are slow successes). */
  readonly slowFailedCalls: number;
}

/**
 * A breaker's options as resolved at creation: every default applied, for dashboards and exporters
 * that show rates against their thresholds.
 * @category Circuit breaker
 */
export interface CircuitBreakerSettings {
  /** Failures that open the circuit, or `undefined` when only the rate rules apply. */
  readonly failureThreshold: number | undefined;
  /** The window (ms) `failureThreshold` counts in, or `undefined` for consecutive failures. */
  readonly failureWindow: number | undefined;
  /** The failure rate that opens the circuit, if set. */
  readonly failureRateThreshold: number | undefined;
  /** The duration from which a call is slow, if set. */
  readonly slowCallDuration: number | undefined;
  /** The slow-call rate that opens the circuit, if set. */
  readonly slowCallRateThreshold: number | undefined;
  /** The sliding window the rates are computed over. */
  readonly slidingWindow: SlidingWindowOptions;
  /** Calls the window must hold before the rates are judged. */
  readonly minimumCalls: number;
  /** Open → half-open delay, or the function that computes it. */
  readonly resetTimeout: ResetTimeout;
  /** Probes admitted at once in half-open. */
  readonly halfOpenMaxCalls: number;
  /** Probe successes that close the circuit. */
  readonly successThreshold: number;
  /** How long a half-open circuit may wait for its probes, if set. */
  readonly halfOpenMaxWait: number | undefined;
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
  /** The options this breaker runs with, every default applied. */
  readonly settings: CircuitBreakerSettings;
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
  /**
   * What this breaker needs to go on deciding as it would have, as plain JSON-safe data: give it
   * back as the `initialState` option, in this process or the next one. Like `snapshot()`, applies
   * no pending time-driven change. Counters, calls in flight and subscriptions are not part of it.
   *
   * @returns a new {@link CircuitBreakerSavedState}.
   * @example
   * ```ts
   * process.on('SIGTERM', () => {
   *   writeFileSync('breakers.json', JSON.stringify({ payments: payments.saveState() }));
   *   process.exit(0);
   * });
   * ```
   */
  saveState(): CircuitBreakerSavedState;
  /**
   * Takes a breaker made by `circuitBreaker({ name })` out of the registry, so that it can be
   * garbage-collected once you drop it: `getCircuitBreaker(name)` no longer finds it, and a later
   * `circuitBreaker({ name })` makes a fresh breaker, whatever its options. The handle itself keeps
   * working as an unregistered breaker (calls in flight settle into it, later calls are judged by
   * it), so stop using it once disposed. Idempotent; a no-op for an anonymous breaker.
   *
   * @throws PolicyConfigError when a decorated method uses the breaker: its class holds it (a
   *   default-named or per-instance breaker already goes with its class or object).
   * @example
   * ```ts
   * tenants.on('removed', (id) => getCircuitBreaker(`tenant:${id}`)?.dispose());
   * ```
   */
  dispose(): void;
}
