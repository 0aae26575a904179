import { Channel } from '../../events/channel.js';

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
 * @internal
 */
export function publish(outbox: Outbox): void {
  if (outbox.length === 2) (outbox[0] as Channel<unknown>).emit(outbox[1]);
  else if (outbox.length > 0) batches.emit(outbox);
}
