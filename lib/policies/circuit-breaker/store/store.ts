import type { CircuitState, StateChangeReason } from '../../../events/types.js';
import type { CircuitBreakerSnapshot } from '../handle.js';
import type { SlidingWindowOptions } from '../options.js';

/**
 * What a breaker does while its shared store is unavailable (a command failed, or outlived the
 * store's deadline): `'local'` carries on from the last shared state it knew, judging its own calls
 * (the default); `'open'` rejects every call; `'closed'` admits every call. In no mode does a call
 * fail because of the store itself.
 * @category Shared state
 */
export type StoreFailureMode = 'local' | 'open' | 'closed';

/**
 * The rules of a breaker, as a store needs them to decide transitions for the whole fleet: the
 * resolved options (defaults applied) of the breaker's declaration.
 * @category Shared state
 */
export interface SharedRules {
  /** The count rule: consecutive failures, failures within `failureWindow`, or none (rates only). */
  readonly thresholdRule: 'consecutive' | 'window' | undefined;
  /** Failures that open the circuit under the count rule. */
  readonly failureThreshold: number;
  /** With the `'window'` rule: the span, ms, the failures must fall within. */
  readonly failureWindow: number | undefined;
  /** Failure rate over the window that opens the circuit, if that rule is on. */
  readonly failureRateThreshold: number | undefined;
  /** Slow-call rate over the window that opens the circuit, if that rule is on. */
  readonly slowCallRateThreshold: number | undefined;
  /** The window of the rates (and of the snapshot's counts): the last `size` calls, or the last `duration` ms. */
  readonly slidingWindow: SlidingWindowOptions;
  /** Calls the window must hold before the rates are judged. */
  readonly minimumCalls: number;
  /** Probe leases the whole fleet may hold at once in half-open. */
  readonly halfOpenMaxCalls: number;
  /** Probe successes that close the circuit. */
  readonly successThreshold: number;
  /** How long a probe's lease lasts (ms): a probe not settled by then frees its slot. */
  readonly probeLease: number;
  /** How long the circuit stays open for its `consecutiveOpens`-th opening in a row, ms (clamped). */
  resetDelay(consecutiveOpens: number): number;
}

/**
 * The shared state of one breaker as the store reports it, after a command or in a published change.
 * @category Shared state
 */
export interface SharedCircuitState {
  /** The state of the circuit. */
  readonly state: CircuitState;
  /**
   * The generation: it grows at every change of state, and never goes back, even after the store
   * lost its data (a store starts a new generation from its own clock). 0 for a breaker the store
   * holds nothing for.
   */
  readonly gen: number;
  /** Open: ms until probes are admitted. Half-open with every slot leased: ms until a lease ends. Else 0. */
  readonly retryAfter: number;
  /** Openings in a row (each re-opening from half-open adds one; closing starts over). */
  readonly consecutiveOpens: number;
  /** Why the latest change of state happened (undefined before the first). */
  readonly reason: StateChangeReason | undefined;
  /** When the circuit last opened, epoch ms by the store's clock. */
  readonly openedAt: number | null;
  /** For `admit`: whether the call may run (in half-open: a probe lease was granted). */
  readonly granted: boolean;
  /** The shared window's contents. */
  readonly window: CircuitBreakerSnapshot['window'];
}

/**
 * Outcomes reported to a store, one character per call, in the order they settled:
 * `s` success, `f` failure, `S` slow success, `F` slow failure.
 * @category Shared state
 */
export type OutcomeCodes = string;

/**
 * What a breaker asks of the store, for one breaker name. Every method may hang or fail: the
 * breaker puts the store's deadline on each and carries on without it. None holds anything locked
 * around a user's call.
 * @category Shared state
 */
export interface BreakerStoreSession {
  /** The current shared state; changes nothing. */
  read(): Promise<SharedCircuitState>;
  /**
   * Counts closed-state outcomes admitted in generation `gen` (stale ones are dropped) and opens the
   * circuit, for the whole fleet, once a rule trips.
   */
  report(gen: number, outcomes: OutcomeCodes): Promise<SharedCircuitState>;
  /**
   * Admits one call: granted in closed or disabled; in half-open, granted with a probe lease named
   * `token` while fewer than `halfOpenMaxCalls` leases are held (an open circuit whose reset delay
   * has passed turns half-open first); refused otherwise.
   */
  admit(token: string): Promise<SharedCircuitState>;
  /** Settles the probe holding `token` in generation `gen` with one outcome code, or `i` (ignored). */
  settle(gen: number, token: string, outcome: string): Promise<SharedCircuitState>;
  /** A change a person asked for, for the whole fleet. */
  command(change: 'forced_open' | 'disabled' | 'reset'): Promise<SharedCircuitState>;
  /** Stops listening for published changes of this breaker. */
  close(): void;
}

/**
 * A place where breakers of many processes share their state: `breakwater/redis`'s `redisStore()`
 * is one. Given to a breaker as its `store` option (with a `name`).
 * @category Shared state
 */
export interface BreakerStore {
  /** The deadline the breaker puts on every command of this store, ms. */
  readonly commandTimeout: number;
  /** What a breaker does while the store is unavailable. */
  readonly onStoreFailure: StoreFailureMode;
  /**
   * Opens the session of the breaker `name`. Nothing is sent before its first command. `onChange`
   * receives every change of state another process (or this one) publishes; `onResubscribed` is
   * called whenever the store's subscription was (re)established, after which the breaker re-reads.
   */
  session(
    name: string,
    rules: SharedRules,
    onChange: (state: SharedCircuitState) => void,
    onResubscribed: () => void,
  ): BreakerStoreSession;
}
