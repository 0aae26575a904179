import type { Clock } from '../../clock/clock.js';
import type { CircuitBreakerSavedState } from './persistence/saved-state.js';
import type { BreakerStore } from './store/store.js';

/**
 * The window over which failure and slow-call rates are computed: the last `size` calls, or the
 * calls of the last `duration` ms (kept in 20 buckets, so a time window's resolution is `duration / 20`).
 *
 * @example
 * ```ts
 * const byCount: SlidingWindowOptions = { type: 'count', size: 50 };
 * const byTime: SlidingWindowOptions = { type: 'time', duration: 60_000 };
 * ```
 * @category Circuit breaker
 */
export type SlidingWindowOptions =
  | {
      /** A count-based window. */
      readonly type: 'count';
      /** How many of the latest calls the window holds: an integer from 1 to 100 000. */
      readonly size: number;
    }
  | {
      /** A time-based window. */
      readonly type: 'time';
      /** How far back the window reaches, ms. */
      readonly duration: number;
    };

/**
 * How long an open circuit waits before admitting probes: a number of ms, or a function of
 * `consecutiveOpens` (1 for the first opening, +1 for each re-opening from half-open) for backoff.
 * A function's result is clamped into [0, 2^31-1]; NaN (or a throw) counts as the upper bound.
 *
 * @example
 * ```ts
 * const backoff: ResetTimeout = (opens) => Math.min(1_000 * 2 ** (opens - 1), 60_000);
 * ```
 * @category Circuit breaker
 */
export type ResetTimeout = number | ((consecutiveOpens: number) => number);

/**
 * Options of `@CircuitBreaker` and `circuitBreaker()`. Every field is optional.
 *
 * @example
 * ```ts
 * const options: CircuitBreakerOptions = {
 *   name: 'payments',
 *   failureRateThreshold: 0.5,
 *   slidingWindow: { type: 'time', duration: 30_000 },
 *   minimumCalls: 20,
 *   resetTimeout: 10_000,
 * };
 * ```
 * @category Circuit breaker
 */
export interface CircuitBreakerOptions {
  /** Registry key; the same name anywhere means the same breaker. @defaultValue `Class.method` (functional: anonymous) */
  readonly name?: string;
  /** `'instance'`: one breaker per object, registered as `name#k`, held weakly. @defaultValue `'shared'` */
  readonly scope?: 'shared' | 'instance';
  /** Consecutive failures that open the circuit (failures within `failureWindow` when that is set). @defaultValue 5 */
  readonly failureThreshold?: number;
  /** If set (ms), `failureThreshold` counts failures inside this sliding time window instead of consecutive ones. */
  readonly failureWindow?: number;
  /** 0 < r ≤ 1: open when the failure rate over `slidingWindow` reaches it. */
  readonly failureRateThreshold?: number;
  /** A call taking at least this long (ms) is slow. */
  readonly slowCallDuration?: number;
  /** 0 < r ≤ 1: open when the slow-call rate over `slidingWindow` reaches it (needs `slowCallDuration`). */
  readonly slowCallRateThreshold?: number;
  /** The window for the rates. @defaultValue `{ type: 'count', size: 100 }` */
  readonly slidingWindow?: SlidingWindowOptions;
  /** Rates are judged only once the window holds this many calls. @defaultValue 10 */
  readonly minimumCalls?: number;
  /** Open → half-open after this (ms), or a function of `consecutiveOpens`. @defaultValue 60_000 */
  readonly resetTimeout?: ResetTimeout;
  /** Probes admitted concurrently in half-open; others are rejected. @defaultValue 1 */
  readonly halfOpenMaxCalls?: number;
  /** Probe successes that close the circuit; one probe failure re-opens it. @defaultValue 2 */
  readonly successThreshold?: number;
  /**
   * Ends a stuck half-open circuit: with a probe outstanding and no probe settled for this long
   * (ms), it re-opens. The wait starts when a probe is admitted while none is outstanding, and again
   * at every probe settlement that leaves the circuit half-open. With no probe outstanding nothing
   * re-opens it by time (sparse traffic is not stuck).
   */
  readonly halfOpenMaxWait?: number;
  /**
   * Which errors count as failures; others are ignored (neither success nor failure).
   * The rejection of the breaker's own bulkhead (in the same method's or `compose()`'s chain) and a
   * caller's abort are always ignored; a dependency's `BulkheadFullError` is an ordinary error.
   * A predicate that throws counts the error as a failure.
   * @defaultValue every error but a nested circuit's `CircuitOpenError`
   */
  readonly failurePredicate?: (error: unknown) => boolean;
  /** The clock of this breaker. @defaultValue the clock of `setClock()`, read at each use */
  readonly clock?: Clock;
  /**
   * Start from a state saved by `saveState()` (in this process or an earlier one) instead of closed.
   * An open circuit keeps the open time it has left, by the wall clock; a half-open one comes back
   * with its probe slots free. The saved window must match `slidingWindow`. Not with `scope: 'instance'`.
   * Two declarations of one name must give equal saved states (compared by value).
   * See docs/circuit-breaker.md, "Surviving a restart".
   * @defaultValue closed, with an empty window
   */
  readonly initialState?: CircuitBreakerSavedState;
  /**
   * Shares the circuit with every process that declares the same `name` on the same store (such as
   * `redisStore()` from `breakwater/redis`): the fleet opens together, and half-open probes are
   * leased fleet-wide (`halfOpenMaxCalls` for all processes, not for each). Needs `name`; not with
   * `scope: 'instance'` or `initialState`. See docs/shared-state.md.
   * @defaultValue none: the circuit lives in this process
   */
  readonly store?: BreakerStore;
  /**
   * With a `store`: `'eventual'` admits calls of a closed circuit from the local copy of the shared
   * state and reports their outcomes behind (no round trip awaited); `'strict'` admits every call
   * through the store (one round trip each).
   * @defaultValue `'eventual'`
   */
  readonly consistency?: 'eventual' | 'strict';
}

/** @internal */ export const DEFAULT_FAILURE_THRESHOLD = 5;
/** @internal */ export const DEFAULT_MINIMUM_CALLS = 10;
/** @internal */ export const DEFAULT_RESET_TIMEOUT = 60_000;
/** @internal */ export const DEFAULT_HALF_OPEN_MAX_CALLS = 1;
/** @internal */ export const DEFAULT_SUCCESS_THRESHOLD = 2;
/** @internal */ export const DEFAULT_SLIDING_WINDOW: SlidingWindowOptions = Object.freeze({
  type: 'count',
  size: 100,
});
/** Buckets of a time-based sliding window: its resolution is `duration / 20`. @internal */
export const TIME_WINDOW_BUCKETS = 20;
/** Upper bound of counts that size an allocation (count window, failure-window ring). @internal */
export const MAX_WINDOW_SIZE = 100_000;

/**
 * Options with every default resolved and the active rules decided, shared by every breaker
 * created from one declaration.
 * @internal
 */
export interface CircuitBreakerConfig {
  readonly name: string | undefined;
  readonly scope: 'shared' | 'instance';
  /** Which count rule applies: consecutive failures, failures within `failureWindow`, or none (rates only). */
  readonly thresholdRule: 'consecutive' | 'window' | undefined;
  readonly failureThreshold: number;
  readonly failureWindow: number | undefined;
  readonly failureRateThreshold: number | undefined;
  readonly slowCallDuration: number | undefined;
  readonly slowCallRateThreshold: number | undefined;
  readonly slidingWindow: SlidingWindowOptions;
  readonly minimumCalls: number;
  readonly resetTimeout: ResetTimeout;
  readonly halfOpenMaxCalls: number;
  readonly successThreshold: number;
  readonly halfOpenMaxWait: number | undefined;
  readonly failurePredicate: ((error: unknown) => boolean) | undefined;
  readonly clock: Clock | undefined;
  /** Validated and frozen: the state every breaker of this declaration starts from. */
  readonly initialState: CircuitBreakerSavedState | undefined;
  readonly store: BreakerStore | undefined;
  readonly consistency: 'eventual' | 'strict';
  /** Derived: a rule needs the time of every outcome (slow calls, a time window, a failure window). */
  readonly timed: boolean;
  /** Derived: a success can open the circuit (a rate reaching its threshold as `minimumCalls` is met). */
  readonly successCanOpen: boolean;
  /** The options as read (`undefined` where not given): what policy defaults are merged under. */
  readonly given: Readonly<Record<string, unknown>>;
}
