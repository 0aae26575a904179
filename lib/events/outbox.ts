import { Channel, reportSubscriberError } from './channel.js';
import { globalEvents } from './streams.js';
import type { ResilienceEvent } from './types.js';

// Channels deliver synchronously unless a delivery is already under way, in which case they queue.
// Publishing several events one `emit` at a time would let a subscriber of the first (one that calls
// back into the policy) slip its own events in before the rest. Running the emits inside a delivery
// of this private channel queues them all, in order, before anyone runs.
const batches = new Channel<Outbox>();
batches.observable.subscribe((outbox) => outbox.deliver());

/**
 * What one step of a policy publishes (an admission, a settlement, a transition): each value with the
 * channel it goes to, queued while the step runs and published once it is done, in order, so that no
 * subscriber ever sees the policy half-way through a step. The only way breakwater publishes.
 * @internal
 */
export class Outbox {
  // Channel, value, channel, value…: one array for the whole step.
  private readonly items: unknown[] = [];

  /** True when nothing was queued. */
  get empty(): boolean {
    return this.items.length === 0;
  }

  /** Queues `value` for `channel`. */
  add<T>(channel: Channel<T>, value: T): void {
    this.items.push(channel, value);
  }

  /** Queues an event for the policy's own stream (when observed) and the global one (when observed). */
  addEvent(event: ResilienceEvent, local: Channel<ResilienceEvent> | undefined): void {
    if (local !== undefined && local.observed) this.add(local, event);
    if (globalEvents.observed) this.add(globalEvents, event);
  }

  /**
   * Publishes what was queued. A subscriber that throws never reaches the policy (see
   * `reportSubscriberError`), whatever RxJS's configuration.
   */
  publish(): void {
    const items = this.items;
    try {
      if (items.length === 2) (items[0] as Channel<unknown>).emit(items[1]);
      else if (items.length > 0) batches.emit(this);
    } catch (error) {
      reportSubscriberError(error);
    }
  }

  /** @internal Emits every queued value (inside a delivery of `batches`). */
  deliver(): void {
    const items = this.items;
    for (let i = 0; i < items.length; i += 2) (items[i] as Channel<unknown>).emit(items[i + 1]);
  }
}

/**
 * True when someone listens to the global event stream or to `local`: lets a policy skip building
 * what it would only publish.
 * @internal
 */
export function eventsObserved(local?: Channel<ResilienceEvent>): boolean {
  return globalEvents.observed || (local !== undefined && local.observed);
}

/**
 * Publishes one event to the global stream (and a policy's own stream), building it only when
 * someone listens: the hot path pays one property read when nobody subscribes.
 * @internal
 */
export function emitEvent(build: () => ResilienceEvent, local?: Channel<ResilienceEvent>): void {
  if (!eventsObserved(local)) return;
  const outbox = new Outbox();
  outbox.addEvent(build(), local);
  outbox.publish();
}
