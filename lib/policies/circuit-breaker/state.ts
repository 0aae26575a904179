import type { CircuitState, StateChangeReason } from '../../events/types.js';

/**
 * The internal state of a circuit: each variant carries only its own fields. `gen` (generation)
 * grows by one on every change of state; a call is tagged with the generation that admitted it,
 * and an outcome from an older generation changes nothing.
 * Times are monotonic milliseconds.
 * @internal
 */
export type BreakerState =
  | { readonly kind: 'closed'; readonly gen: number }
  | { readonly kind: 'open'; readonly gen: number; readonly until: number; readonly consecutiveOpens: number }
  | {
      readonly kind: 'half_open';
      readonly gen: number;
      /** Probes admitted and not yet settled. */
      readonly inFlight: number;
      /**
       * What `halfOpenMaxWait` counts from while `inFlight > 0`: the latest probe settlement, or
       * the admission of the probe that found no other outstanding, whichever came last.
       * Meaningless while no probe is outstanding.
       */
      readonly waitFrom: number;
      readonly successes: number;
      readonly consecutiveOpens: number;
    }
  | { readonly kind: 'forced_open'; readonly gen: number }
  | { readonly kind: 'disabled'; readonly gen: number };

/** A state variant without its generation, as a transition's target is written. @internal */
export type StateBody = WithoutGen<BreakerState>;
type WithoutGen<S> = S extends unknown ? Omit<S, 'gen'> : never;

/** One real change of state. @internal */
export interface Transition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: StateChangeReason;
}

const OPENING: readonly StateChangeReason[] = ['failure_threshold', 'failure_rate', 'slow_call_rate'];

/**
 * Every legal transition and the reasons it may have. Anything else is a bug and throws.
 * @internal
 */
export const LEGAL_TRANSITIONS: Readonly<
  Record<CircuitState, Partial<Record<CircuitState, readonly StateChangeReason[]>>>
> = {
  closed: { open: OPENING, forced_open: ['forced_open'], disabled: ['disabled'] },
  open: { half_open: ['reset_timeout'], closed: ['reset'], forced_open: ['forced_open'], disabled: ['disabled'] },
  half_open: {
    closed: ['probe_succeeded', 'reset'],
    open: ['probe_failed', 'half_open_max_wait'],
    forced_open: ['forced_open'],
    disabled: ['disabled'],
  },
  forced_open: { closed: ['reset'], disabled: ['disabled'] },
  disabled: { closed: ['reset'], forced_open: ['forced_open'] },
};

/**
 * Builds the transition from `from` to `to` (with the next generation).
 *
 * @throws Error when the transition or its reason is not in {@link LEGAL_TRANSITIONS}.
 * @internal
 */
export function transition(from: BreakerState, to: StateBody, reason: StateChangeReason): Transition {
  const reasons = LEGAL_TRANSITIONS[from.kind][to.kind];
  if (reasons === undefined || !reasons.includes(reason)) {
    throw new Error(`breakwater internal error: illegal circuit transition ${from.kind} → ${to.kind} (${reason})`);
  }
  return { from, to: withGen(to, from.gen + 1), reason };
}

// Written out rather than spread: `{ ...to, gen }` over five shapes of `to` is a slow generic copy
// on Node 20, and it was the largest single cost of opening a circuit there.
function withGen(to: StateBody, gen: number): BreakerState {
  switch (to.kind) {
    case 'open':
      return { kind: 'open', gen, until: to.until, consecutiveOpens: to.consecutiveOpens };
    case 'half_open':
      return {
        kind: 'half_open',
        gen,
        inFlight: to.inFlight,
        waitFrom: to.waitFrom,
        successes: to.successes,
        consecutiveOpens: to.consecutiveOpens,
      };
    default:
      return { kind: to.kind, gen };
  }
}

/** The state of a new (or reset) breaker. @internal */
export function initialState(gen = 0): BreakerState {
  return gen === 0 ? INITIAL : { kind: 'closed', gen };
}

// States are immutable, so every new breaker can start from the same object.
const INITIAL: BreakerState = Object.freeze({ kind: 'closed', gen: 0 });
