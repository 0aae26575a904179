import type { Observable } from 'rxjs';
import { Channel } from './channel.js';
import type { CircuitStateChange, ResilienceEvent } from './types.js';

/** @internal */
export const globalStateChanges = new Channel<CircuitStateChange>();
/** @internal */
export const globalEvents = new Channel<ResilienceEvent>();

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
 */
export const stateChanges$: Observable<CircuitStateChange> = globalStateChanges.observable;

/**
 * Every event of every policy (success, failure, ignored, rejected, state_change, retry, fallback,
 * timeout, bulkhead_rejected), discriminated by `type`.
 *
 * @example
 * ```ts
 * events$.subscribe((e) => { if (e.type === 'retry') metrics.increment(`retry.${e.name}`); });
 * ```
 */
export const events$: Observable<ResilienceEvent> = globalEvents.observable;
