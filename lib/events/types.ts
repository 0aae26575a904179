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
  Closed: 'closed',
  Open: 'open',
  HalfOpen: 'half_open',
  ForcedOpen: 'forced_open',
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
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Wall-clock time of the transition, epoch ms. */
  readonly at: number;
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
  readonly type: 'success';
  /** How long the call took, ms (monotonic). */
  readonly duration: number;
}
/** A call the breaker admitted failed and counts against the dependency. */
export interface FailureEvent extends ResilienceEventBase {
  readonly type: 'failure';
  readonly duration: number;
  readonly error: unknown;
}
/** A call's error was not counted (filtered out by `failurePredicate`, a local rejection, an abort, or a stale outcome). */
export interface IgnoredEvent extends ResilienceEventBase {
  readonly type: 'ignored';
  readonly error: unknown;
}
/** The circuit rejected a call without invoking it. */
export interface RejectedEvent extends ResilienceEventBase {
  readonly type: 'rejected';
  readonly state: CircuitState;
  /** Milliseconds until a probe will be admitted. */
  readonly retryAfter: number;
}
/** A circuit changed state (the same transition is also on `stateChanges$`). */
export interface StateChangeEvent extends ResilienceEventBase {
  readonly type: 'state_change';
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: StateChangeReason;
}
/** An attempt failed (or its result was rejected) and another will follow after `delay`. */
export interface RetryEvent extends ResilienceEventBase {
  readonly type: 'retry';
  /** The retry number: 1 for the second attempt. */
  readonly attempt: number;
  readonly delay: number;
  /** The error that caused the retry, if it was an error. */
  readonly error?: unknown;
  /** The result `retryOnResult` rejected, if it was a result. */
  readonly result?: unknown;
}
/** A fallback handler was invoked. */
export interface FallbackEvent extends ResilienceEventBase {
  readonly type: 'fallback';
  readonly error: unknown;
}
/** An attempt timed out. */
export interface TimeoutEvent extends ResilienceEventBase {
  readonly type: 'timeout';
  readonly duration: number;
}
/** A bulkhead refused a call. */
export interface BulkheadRejectedEvent extends ResilienceEventBase {
  readonly type: 'bulkhead_rejected';
  readonly reason: 'full' | 'queue_timeout';
  readonly active: number;
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
  | FallbackEvent
  | TimeoutEvent
  | BulkheadRejectedEvent;

/** The `type` strings of {@link ResilienceEvent}. */
export type ResilienceEventType = ResilienceEvent['type'];
