// A breaker's states and what its state changes say: the vocabulary of stateChanges$ and of the
// handles, kept apart from the event union (types.ts) that builds on it.

/**
 * The states of a circuit.
 *
 * @example
 * ```ts
 * if (getCircuitBreaker('payments')?.state === CircuitState.Open) pageOnCall();
 * ```
 * @category Circuit breaker
 * @category Events
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
/**
 * One of the values of {@link CircuitState}.
 * @category Circuit breaker
 * @category Events
 */
export type CircuitState = (typeof CircuitState)[keyof typeof CircuitState];

/**
 * Why a circuit changed state.
 * @category Circuit breaker
 * @category Events
 */
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

/**
 * One real transition of one circuit, as published on `stateChanges$`.
 * @category Circuit breaker
 * @category Events
 */
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
