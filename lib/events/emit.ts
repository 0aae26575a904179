import type { Channel } from './channel.js';
import { globalEvents } from './streams.js';
import type { ResilienceEvent } from './types.js';

/**
 * Publishes an event to the global stream (and a policy's own stream), building it only when
 * someone listens: the hot path pays one property read when nobody subscribes.
 * @internal
 */
export function emitEvent(build: () => ResilienceEvent, local?: Channel<ResilienceEvent>): void {
  const toLocal = local !== undefined && local.observed;
  if (!toLocal && !globalEvents.observed) return;
  const event = build();
  if (toLocal) local.emit(event);
  globalEvents.emit(event);
}

/**
 * True when someone listens to the global event stream: lets a policy skip work it does only to
 * emit an event (policies without a stream of their own).
 * @internal
 */
export function eventsObserved(): boolean {
  return globalEvents.observed;
}
