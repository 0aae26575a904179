import { MAX_TIMER_MS } from '../../clock/clock.js';
import type { CircuitBreakerConfig, ResetTimeout } from './options.js';
import type { OpenReason } from './strategies/strategy.js';
import { transition, type BreakerState, type Transition } from './state.js';

/**
 * Pure decisions of the circuit: given a state, the time and an event, what comes next.
 * The breaker (the effectful shell) applies the results and publishes the events.
 */

/** The options the state machine reads. @internal */
export type MachineConfig = Pick<
  CircuitBreakerConfig,
  'resetTimeout' | 'halfOpenMaxCalls' | 'successThreshold' | 'halfOpenMaxWait' | 'slowCallRateThreshold'
>;

/** How a call is admitted. @internal */
export type Admission =
  | { readonly kind: 'normal' }
  | { readonly kind: 'probe'; readonly state: BreakerState }
  | { readonly kind: 'rejected'; readonly retryAfter: number };

/** A counted outcome. @internal */
export type Outcome = 'success' | 'failure' | 'ignored';

/** What an outcome does: a new state, and the transition if it is one. @internal */
export interface Settlement {
  readonly state: BreakerState;
  readonly transition: Transition | undefined;
}

const NORMAL: Admission = Object.freeze({ kind: 'normal' });

/**
 * How long the circuit stays open for the `consecutiveOpens`-th opening in a row: a function's
 * result is clamped into [0, 2^31-1], NaN or a throw counting as the upper bound.
 * @internal
 */
export function resetDelay(resetTimeout: ResetTimeout, consecutiveOpens: number): number {
  if (typeof resetTimeout === 'number') return resetTimeout;
  let ms: number;
  try {
    ms = resetTimeout(consecutiveOpens);
  } catch {
    ms = Number.NaN;
  }
  if (typeof ms !== 'number' || Number.isNaN(ms)) return MAX_TIMER_MS;
  return Math.min(Math.max(ms, 0), MAX_TIMER_MS);
}

/** The transition that opens the circuit from `from`. @internal */
export function openFrom(
  from: BreakerState,
  consecutiveOpens: number,
  now: number,
  config: MachineConfig,
  reason: OpenReason | 'probe_failed' | 'half_open_max_wait',
): Transition {
  const until = now + resetDelay(config.resetTimeout, consecutiveOpens);
  return transition(from, { kind: 'open', until, consecutiveOpens }, reason);
}

/**
 * The transition that time alone causes, if any: a half-open circuit with a probe outstanding in
 * which no probe has settled for `halfOpenMaxWait` (counted from the latest settlement, or from
 * the admission of the probe that found none outstanding) re-opens; an open circuit whose reset
 * timeout elapsed goes half-open. A half-open circuit with no probe outstanding is waiting for
 * traffic, not stuck: it never re-opens by time. Applied lazily, when a call arrives.
 * @internal
 */
export function lazyTransition(state: BreakerState, now: number, config: MachineConfig): Transition | undefined {
  if (state.kind === 'half_open') {
    const wait = config.halfOpenMaxWait;
    if (wait !== undefined && state.inFlight > 0 && now - state.waitFrom >= wait) {
      return openFrom(state, state.consecutiveOpens + 1, now, config, 'half_open_max_wait');
    }
  } else if (state.kind === 'open' && now >= state.until) {
    return transition(
      state,
      { kind: 'half_open', inFlight: 0, waitFrom: now, successes: 0, consecutiveOpens: state.consecutiveOpens },
      'reset_timeout',
    );
  }
  return undefined;
}

/**
 * Whether a call may run, once the lazy transitions are applied. A half-open circuit admits at
 * most `halfOpenMaxCalls` probes at once. `retryAfter` is the time until a probe will be
 * admitted: Infinity when forced open; for a half-open circuit with every probe slot taken, the
 * time left until `halfOpenMaxWait` ends it if no probe settles first (0 without `halfOpenMaxWait`).
 * @internal
 */
export function admit(state: BreakerState, now: number, config: MachineConfig): Admission {
  switch (state.kind) {
    case 'closed':
    case 'disabled':
      return NORMAL;
    case 'forced_open':
      return { kind: 'rejected', retryAfter: Infinity };
    case 'open':
      return { kind: 'rejected', retryAfter: Math.max(0, state.until - now) };
    case 'half_open':
      if (state.inFlight < config.halfOpenMaxCalls) {
        // The first outstanding probe starts the wait; later ones join it.
        const waitFrom = state.inFlight === 0 ? now : state.waitFrom;
        return { kind: 'probe', state: { ...state, inFlight: state.inFlight + 1, waitFrom } };
      }
      return {
        kind: 'rejected',
        retryAfter:
          config.halfOpenMaxWait === undefined ? 0 : Math.max(0, state.waitFrom + config.halfOpenMaxWait - now),
      };
  }
}

/**
 * What the outcome of a call admitted in generation `gen` does to `state`. Stale outcomes (an
 * older generation) do nothing. Closed: `openReason` (the strategies' verdict) opens it. Half-open:
 * a success counts toward `successThreshold`, a failure re-opens, an ignored outcome frees its slot;
 * with a slow-call rule, a slow successful probe counts as a failed one. A probe that settles
 * without a transition restarts the `halfOpenMaxWait` count at `now` (the dependency answered).
 * @internal
 */
export function settle(
  state: BreakerState,
  gen: number,
  outcome: Outcome,
  slow: boolean,
  openReason: OpenReason | undefined,
  now: number,
  config: MachineConfig,
): Settlement | undefined {
  if (gen !== state.gen) return undefined;
  if (state.kind === 'closed') {
    if (openReason === undefined || outcome === 'ignored') return undefined;
    const t = openFrom(state, 1, now, config, openReason);
    return { state: t.to, transition: t };
  }
  if (state.kind !== 'half_open') return undefined;
  if (outcome === 'ignored')
    return { state: { ...state, inFlight: state.inFlight - 1, waitFrom: now }, transition: undefined };
  if (outcome === 'failure' || (slow && config.slowCallRateThreshold !== undefined)) {
    const t = openFrom(state, state.consecutiveOpens + 1, now, config, 'probe_failed');
    return { state: t.to, transition: t };
  }
  const successes = state.successes + 1;
  if (successes >= config.successThreshold) {
    const t = transition(state, { kind: 'closed' }, 'probe_succeeded');
    return { state: t.to, transition: t };
  }
  return { state: { ...state, inFlight: state.inFlight - 1, successes, waitFrom: now }, transition: undefined };
}
