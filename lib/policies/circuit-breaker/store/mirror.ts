import type { CircuitBreakerSnapshot } from '../handle.js';
import type { BreakerState } from '../state.js';
import type { SharedCircuitState } from './store.js';

/**
 * The local copy of a shared state, read at monotonic time `now`: an open circuit's remaining time
 * becomes a local deadline (process clocks never need to agree); a half-open one starts with none
 * of this process's probes outstanding (a new generation has no leases yet).
 * @internal
 */
export function mirrorState(shared: SharedCircuitState, now: number): BreakerState {
  const gen = shared.gen;
  switch (shared.state) {
    case 'open':
      return { kind: 'open', gen, until: now + shared.retryAfter, consecutiveOpens: shared.consecutiveOpens };
    case 'half_open':
      return {
        kind: 'half_open',
        gen,
        inFlight: 0,
        waitFrom: now,
        successes: 0,
        consecutiveOpens: shared.consecutiveOpens,
      };
    default:
      return { kind: shared.state, gen };
  }
}

/**
 * Whether a shared state read or published now is news to a process that follows generation
 * `known` (-1: none yet): a later generation, or a store that lost the breaker (generation 0 after
 * a real one: restarted without persistence, or the key expired). Replies and published changes
 * travel on different connections, so an older generation can arrive after a newer one: it is not news.
 * @internal
 */
export function isNews(shared: SharedCircuitState, known: number): boolean {
  return shared.gen > known || (shared.gen === 0 && known > 0);
}

/** A snapshot whose window and rates are the shared window's (the store's counts, not this process's). @internal */
export function withWindow(local: CircuitBreakerSnapshot, w: SharedCircuitState['window']): CircuitBreakerSnapshot {
  const rate = (n: number): number => (w.calls === 0 ? 0 : n / w.calls);
  return {
    ...local,
    window: w,
    metrics: { ...local.metrics, failureRate: rate(w.failedCalls), slowCallRate: rate(w.slowCalls) },
  };
}
