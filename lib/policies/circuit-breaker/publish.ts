import type { Clock } from '../../clock/clock.js';
import type { Channel } from '../../events/channel.js';
import { eventsObserved, type Outbox } from '../../events/outbox.js';
import { globalStateChanges } from '../../events/streams.js';
import type { CircuitStateChange, ResilienceEvent } from '../../events/types.js';
import type { Transition } from './state.js';

/**
 * Queues what one transition publishes: a {@link CircuitStateChange} on the breaker's and the
 * global `stateChanges$`, and a `state_change` event on `events$` — each built only if observed.
 * @internal
 */
export function queueStateChange(
  outbox: Outbox,
  name: string,
  t: Transition,
  /** The time of the change, or the clock to read it from if anyone listens. */
  time: number | Clock,
  localChanges: Channel<CircuitStateChange> | undefined,
  localEvents: Channel<ResilienceEvent> | undefined,
): void {
  const toLocal = localChanges !== undefined && localChanges.observed;
  const toGlobal = globalStateChanges.observed;
  const asEvent = eventsObserved(localEvents);
  if (!toLocal && !toGlobal && !asEvent) return;
  const at = typeof time === 'number' ? time : time.now();
  const from = t.from.kind;
  const to = t.to.kind;
  const change: CircuitStateChange = { name, from, to, at, reason: t.reason };
  if (toLocal) outbox.add(localChanges, change);
  if (toGlobal) outbox.add(globalStateChanges, change);
  if (asEvent) {
    outbox.addEvent(
      { type: 'state_change', at, policy: 'circuitBreaker', name, from, to, reason: t.reason },
      localEvents,
    );
  }
}

/** The event of a settled call: success, failure, or ignored (with the error that made it so). @internal */
export function outcomeEvent(
  name: string,
  outcome: 'success' | 'failure' | 'ignored',
  at: number,
  duration: number,
  error: unknown,
): ResilienceEvent {
  const policy = 'circuitBreaker';
  if (outcome === 'success') return { type: 'success', at, policy, name, duration };
  return outcome === 'failure'
    ? { type: 'failure', at, policy, name, duration, error }
    : { type: 'ignored', at, policy, name, error, duration };
}

/** The event of a breaker losing or finding again its shared store. @internal */
export function storeEvent(
  name: string,
  at: number,
  fields:
    | { readonly type: 'store_unavailable'; readonly error: unknown }
    | { readonly type: 'store_restored'; readonly duration: number },
): ResilienceEvent {
  return { at, policy: 'circuitBreaker', name, ...fields };
}
