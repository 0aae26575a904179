import type { CircuitState, StateChangeReason } from './circuit-state.js';
import type { ResilienceEventBase } from './event-base.js';
import type { StoreRestoredEvent, StoreUnavailableEvent } from './store-events.js';

export { CircuitState, type StateChangeReason, type CircuitStateChange } from './circuit-state.js';
export type { ResilienceEventBase } from './event-base.js';
export type { StoreUnavailableEvent, StoreRestoredEvent } from './store-events.js';

/**
 * A call the breaker admitted succeeded.
 * @category Events
 */
export interface SuccessEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'success';
  /** How long the call took, ms (monotonic), from after its admission's events were delivered. */
  readonly duration: number;
}
/**
 * A call the breaker admitted failed and counts against the dependency.
 * @category Events
 */
export interface FailureEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'failure';
  /** How long the call took, ms (monotonic), from after its admission's events were delivered. */
  readonly duration: number;
  /** The error the call failed with. */
  readonly error: unknown;
}
/**
 * A call's error was not counted (filtered out by `failurePredicate`, a local rejection, an abort, or a stale outcome).
 * @category Events
 */
export interface IgnoredEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'ignored';
  /** The error that was not counted (`undefined` for a stale success). */
  readonly error: unknown;
  /** How long the call took, ms (monotonic; 0 when nobody listened as it started). */
  readonly duration: number;
}
/**
 * The circuit rejected a call without invoking it.
 * @category Events
 */
export interface RejectedEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'rejected';
  /** The state that rejected the call: open, forced open, or half-open with every probe slot taken. */
  readonly state: CircuitState;
  /** Milliseconds until a probe will be admitted. */
  readonly retryAfter: number;
}
/**
 * A circuit changed state (the same transition is also on `stateChanges$`).
 * @category Events
 */
export interface StateChangeEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'state_change';
  /** The state before the transition. */
  readonly from: CircuitState;
  /** The state after the transition. */
  readonly to: CircuitState;
  /** What caused the transition. */
  readonly reason: StateChangeReason;
}
/**
 * An attempt failed (or its result was rejected) and another will follow after `delay`: attempt
 * number `attempt + 1`, which a functional `fn` sees as `context.attempt`.
 * @category Events
 */
export interface RetryEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'retry';
  /** The retry number, which is also the number of the attempt that just failed: 1 before the second attempt. */
  readonly attempt: number;
  /** The wait before the next attempt, ms, after backoff, jitter and the `maxDelay` cap. */
  readonly delay: number;
  /** The error that caused the retry, if it was an error. */
  readonly error?: unknown;
  /** The result `retryOnResult` rejected, if it was a result. */
  readonly result?: unknown;
}
/**
 * Fields of both kinds of {@link RetryExhaustedEvent}.
 * @category Events
 */
export interface RetryExhaustedEventBase extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'retry_exhausted';
  /** The attempts made, all of them: `maxAttempts`. */
  readonly attempts: number;
}
/**
 * The retries ran out on an error: the caller gets it, unchanged.
 * @category Events
 */
export interface RetryExhaustedErrorEvent extends RetryExhaustedEventBase {
  /** What the last attempt ended with: an error. */
  readonly outcome: 'error';
  /** The last attempt's error, which the call rejects with. */
  readonly error: unknown;
}
/**
 * The retries ran out on a result that `retryOnResult` rejected: the caller gets it.
 * @category Events
 */
export interface RetryExhaustedResultEvent extends RetryExhaustedEventBase {
  /** What the last attempt ended with: a result `retryOnResult` rejected. */
  readonly outcome: 'result';
  /** The last attempt's result, which the call resolves with. */
  readonly result: unknown;
}
/**
 * A retry policy gave up: every one of its `maxAttempts` attempts was made and the last would have
 * been retried too (its error matched `retryOn`, or `retryOnResult` rejected its result). Emitted
 * once per call, just before the call settles with that last outcome. Not emitted when a call
 * stops retrying for another reason: an error `retryOn` does not match, a caller's abort, or an
 * outer circuit breaker that opened meanwhile. `outcome` tells an error from a result.
 *
 * @example
 * ```ts
 * events$.subscribe((e) => {
 *   if (e.type === 'retry_exhausted' && e.outcome === 'error') log.warn({ error: e.error }, `${e.name} gave up after ${e.attempts} attempts`);
 * });
 * ```
 * @category Events
 */
export type RetryExhaustedEvent = RetryExhaustedErrorEvent | RetryExhaustedResultEvent;
/**
 * A call through a retry policy settled, after all its attempts: one per logical call, published
 * only while someone listens to `events$` (exporters count calls with and without retries from it).
 * @category Events
 */
export interface RetryOutcomeEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'retry_outcome';
  /**
   * `'success'`: the call resolved with a value `retryOnResult` accepted; `'failure'`: it rejected,
   * or resolved with the last result `retryOnResult` rejected once attempts ran out.
   */
  readonly outcome: 'success' | 'failure';
  /** Attempts made, the first included (1: no retry). */
  readonly attempts: number;
  /** How long the whole call took, waits between attempts included, ms (monotonic). */
  readonly duration: number;
  /** The error the call rejected with, when it did. */
  readonly error?: unknown;
}
/**
 * An attempt guarded by a timeout settled before its deadline (an attempt that times out publishes
 * `'timeout'` instead): one per attempt, published only while someone listens to `events$`.
 * @category Events
 */
export interface TimeoutOutcomeEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'timeout_outcome';
  /** `'success'`: the attempt resolved; `'failure'`: it rejected, or the caller aborted it. */
  readonly outcome: 'success' | 'failure';
  /** How long the attempt took, ms (monotonic). */
  readonly duration: number;
  /** The error the attempt rejected with, when it did. */
  readonly error?: unknown;
}
/**
 * A fallback handler was invoked.
 * @category Events
 */
export interface FallbackEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'fallback';
  /** The error the handler replaces. */
  readonly error: unknown;
}
/**
 * An attempt timed out.
 * @category Events
 */
export interface TimeoutEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'timeout';
  /** The timeout that expired, ms. */
  readonly duration: number;
}
/**
 * A bulkhead refused a call.
 * @category Events
 */
export interface BulkheadRejectedEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'bulkhead_rejected';
  /** `'full'`: no permit and no room in the queue; `'queue_timeout'`: still queued after `queueTimeout`. */
  readonly reason: 'full' | 'queue_timeout';
  /** Calls holding a permit when the call was refused. */
  readonly active: number;
  /** Calls waiting in the queue when the call was refused. */
  readonly queued: number;
}

/**
 * Every policy event, discriminated by `type`.
 *
 * @example
 * ```ts
 * events$.pipe(filter((e) => e.type === 'retry')).subscribe((e) => log.info(e));
 * ```
 * @category Events
 */
export type ResilienceEvent =
  | SuccessEvent
  | FailureEvent
  | IgnoredEvent
  | RejectedEvent
  | StateChangeEvent
  | RetryEvent
  | RetryExhaustedEvent
  | RetryOutcomeEvent
  | FallbackEvent
  | TimeoutEvent
  | TimeoutOutcomeEvent
  | BulkheadRejectedEvent
  | StoreUnavailableEvent
  | StoreRestoredEvent;

/**
 * The `type` strings of {@link ResilienceEvent}.
 * @category Events
 */
export type ResilienceEventType = ResilienceEvent['type'];
