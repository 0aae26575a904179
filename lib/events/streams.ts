import type { Observable } from 'rxjs';
import { sharedState } from '../shared/shared-state.js';
import { Channel } from './channel.js';
import type { CircuitStateChange, ResilienceEvent } from './types.js';

// One pair of global channels per process, shared by every copy of the package (see
// lib/shared/shared-state.ts): `stateChanges$` imported through `require` must see a breaker that
// the `import` copy opens. The channels may be the other copy's objects, so they are only used
// through their members (`emit`, `observed`, `observable`, `deliver`).
interface GlobalChannels {
  readonly stateChanges: Channel<CircuitStateChange>;
  readonly events: Channel<ResilienceEvent>;
}

const channels = sharedState('globalChannels', (): GlobalChannels => ({
  stateChanges: new Channel(),
  events: new Channel(),
}));

/** @internal */
export const globalStateChanges: Channel<CircuitStateChange> = channels.stateChanges;
/** @internal */
export const globalEvents: Channel<ResilienceEvent> = channels.events;

/**
 * Every state change of every circuit breaker, in order, exactly once per real transition.
 * A subscriber that throws never affects the call, the breaker or other subscribers (RxJS reports
 * its error as unhandled).
 *
 * @example
 * ```ts
 * stateChanges$.subscribe(({ name, from, to, reason }) => {
 *   if (to === CircuitState.Open) alert(`${name} opened (${reason})`);
 * });
 * ```
 * @category Events
 * @category Circuit breaker
 */
export const stateChanges$: Observable<CircuitStateChange> = globalStateChanges.observable;

/**
 * Every event of every policy (success, failure, ignored, rejected, state_change, retry,
 * retry_exhausted, retry_outcome, fallback, timeout, timeout_outcome, bulkhead_rejected), discriminated by `type`.
 *
 * @example
 * ```ts
 * events$.subscribe((e) => { if (e.type === 'retry') metrics.increment(`retry.${e.name}`); });
 * ```
 * @category Events
 */
export const events$: Observable<ResilienceEvent> = globalEvents.observable;
