import type { PolicyKind } from '../engine/policy-kind.js';

/**
 * The states of a circuit.
 *
 * @example
 * ```ts
 * if (getCircuitBreaker('payments')?.state === CircuitState.Open) pageOnCall();
 * ```
 */
export const CircuitState = {
  /** Calls pass through; their outcomes are counted and may open the circuit. */
  Closed: 'closed',
  /** Calls are rejected with `CircuitOpenError` until `resetTimeout` has elapsed. */
  Open: 'open',
  /** Up to `halfOpenMaxCalls` probes are admitted; their outcomes close or re-open the circuit. */
  HalfOpen: 'half_open',
  /** Set by `forceOpen()`: every call is rejected until `reset()` or `disable()`. */
  ForcedOpen: 'forced_open',
  /** Set by `disable()`: every call passes and the circuit never opens, until `reset()` or `forceOpen()`. */
  Disabled: 'disabled',
} as const;
/** One of the values of {@link CircuitState}. */
export type CircuitState = (typeof CircuitState)[keyof typeof CircuitState];

/** Why a circuit changed state. */
export type StateChangeReason =
  | 'failure_threshold'
  | 'failure_rate'
  | 'slow_call_rate'
  | 'reset_timeout'
  | 'probe_succeeded'
  | 'probe_failed'
  | 'half_open_max_wait'
  | 'forced_open'
  | 'disabled'
  | 'reset';

/** One real transition of one circuit, as published on `stateChanges$`. */
export interface CircuitStateChange {
  /** The breaker's registry name. */
  readonly name: string;
  /** The state before the transition. */
  readonly from: CircuitState;
  /** The state after the transition. */
  readonly to: CircuitState;
  /** Wall-clock time of the transition, epoch ms. */
  readonly at: number;
  /** What caused the transition. */
  readonly reason: StateChangeReason;
}

/** Fields every {@link ResilienceEvent} carries. */
export interface ResilienceEventBase {
  /** Wall-clock time, epoch ms. */
  readonly at: number;
  /** The kind of policy that emitted it. */
  readonly policy: PolicyKind;
  /** The policy's own name (breaker, bulkhead), else the decorated `Class.method`, else its kind. */
  readonly name: string;
}

/** A call the breaker admitted succeeded. */
export interface SuccessEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'success';
  /** How long the call took, ms (monotonic). */
  readonly duration: number;
}
/** A call the breaker admitted failed and counts against the dependency. */
export interface FailureEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'failure';
  /** How long the call took, ms (monotonic). */
  readonly duration: number;
  /** The error the call failed with. */
  readonly error: unknown;
}
/** A call's error was not counted (filtered out by `failurePredicate`, a local rejection, an abort, or a stale outcome). */
export interface IgnoredEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'ignored';
  /** The error that was not counted (`undefined` for a stale success). */
  readonly error: unknown;
  /** How long the call took, ms (monotonic; 0 when nobody listened as it started). */
  readonly duration: number;
}
/** The circuit rejected a call without invoking it. */
export interface RejectedEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'rejected';
  /** The state that rejected the call: open, forced open, or half-open with every probe slot taken. */
  readonly state: CircuitState;
  /** Milliseconds until a probe will be admitted. */
  readonly retryAfter: number;
}
/** A circuit changed state (the same transition is also on `stateChanges$`). */
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
/** An attempt failed (or its result was rejected) and another will follow after `delay`. */
export interface RetryEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'retry';
  /** The retry number: 1 for the second attempt. */
  readonly attempt: number;
  /** The wait before the next attempt, ms, after backoff, jitter and the `maxDelay` cap. */
  readonly delay: number;
  /** The error that caused the retry, if it was an error. */
  readonly error?: unknown;
  /** The result `retryOnResult` rejected, if it was a result. */
  readonly result?: unknown;
}
/**
 * A call through a retry policy settled, after all its attempts: one per logical call, published
 * only while someone listens to `events$` (exporters count calls with and without retries from it).
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
/** A fallback handler was invoked. */
export interface FallbackEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'fallback';
  /** The error the handler replaces. */
  readonly error: unknown;
}
/** An attempt timed out. */
export interface TimeoutEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'timeout';
  /** The timeout that expired, ms. */
  readonly duration: number;
}
/** A bulkhead refused a call. */
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
 */
export type ResilienceEvent =
  | SuccessEvent
  | FailureEvent
  | IgnoredEvent
  | RejectedEvent
  | StateChangeEvent
  | RetryEvent
  | RetryOutcomeEvent
  | FallbackEvent
  | TimeoutEvent
  | TimeoutOutcomeEvent
  | BulkheadRejectedEvent;

/** The `type` strings of {@link ResilienceEvent}. */
export type ResilienceEventType = ResilienceEvent['type'];
