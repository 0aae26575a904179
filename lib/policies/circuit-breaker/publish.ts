import type { Clock } from '../../clock/clock.js';
import { Channel, reportSubscriberError } from '../../events/channel.js';
import { globalEvents, globalStateChanges } from '../../events/streams.js';
import type { CircuitStateChange, ResilienceEvent } from '../../events/types.js';
import type { Transition } from './state.js';

/** Events waiting to be published together, flattened: channel, value, channel, value… @internal */
export type Outbox = unknown[];

// Channels deliver synchronously unless a delivery is already under way, in which case they
// queue. Publishing several events one `emit` at a time would let a subscriber of the first
// (one that calls back into the breaker) slip its own events in before the rest. Running the
// emits inside a delivery of this private channel queues them all, in order, before anyone runs.
const batches = new Channel<Outbox>();
batches.observable.subscribe((outbox) => {
  for (let i = 0; i < outbox.length; i += 2) (outbox[i] as Channel<unknown>).emit(outbox[i + 1]);
});

/**
 * Publishes every event of one step of a breaker, atomically with respect to re-entrant subscribers.
 * Never throws: the breaker publishes after its state has changed (a probe slot taken, a transition
 * made), so an error escaping here would reach the caller and leave that state without its outcome.
 * Channels already keep subscribers' errors in; this also covers a channel of another copy of the
 * package, which the shared delivery queue may hold.
 * @internal
 */
export function publish(outbox: Outbox): void {
  try {
    if (outbox.length === 2) (outbox[0] as Channel<unknown>).emit(outbox[1]);
    else if (outbox.length > 0) batches.emit(outbox);
  } catch (error) {
    reportSubscriberError(error);
  }
}

/**
 * True when someone listens to `events$` (global) or to the breaker's own events.
 * @internal
 */
export function eventsObserved(local: Channel<ResilienceEvent> | undefined): boolean {
  return globalEvents.observed || (local !== undefined && local.observed);
}

/**
 * Queues an event for the breaker's own stream and the global one, where someone listens.
 * @internal
 */
export function queueEvent(outbox: Outbox, event: ResilienceEvent, local: Channel<ResilienceEvent> | undefined): void {
  if (local !== undefined && local.observed) outbox.push(local, event);
  if (globalEvents.observed) outbox.push(globalEvents, event);
}

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
  if (toLocal) outbox.push(localChanges, change);
  if (toGlobal) outbox.push(globalStateChanges, change);
  if (asEvent) {
    queueEvent(
      outbox,
      { type: 'state_change', at, policy: 'circuitBreaker', name, from, to, reason: t.reason },
      localEvents,
    );
  }
}
