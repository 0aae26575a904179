import { config, Subject, type Observable } from 'rxjs';
import { sharedState } from '../shared/shared-state.js';

// One delivery queue for every channel in the process. A subscriber that changes state
// synchronously (say, resets a breaker from inside a state-change handler) causes a new emission
// while the current one is still being delivered; queueing it keeps every subscriber of every
// stream seeing events in the order they happened. It is shared by every copy of the package
// (see lib/shared/shared-state.ts), so the order also holds when a subscriber of one copy acts on a
// breaker of the other; queued channels may be either copy's, so they are only used through
// `deliver`.
interface DeliveryQueue {
  readonly pending: Array<{ channel: Channel<unknown>; value: unknown }>;
  delivering: boolean;
}

const queue = sharedState('deliveryQueue', (): DeliveryQueue => ({ pending: [], delivering: false }));

/**
 * Reports an error a subscriber threw, the way RxJS reports one outside its deprecated synchronous
 * mode: later, to `config.onUnhandledError` if set, otherwise as an uncaught error (here an
 * unhandled rejection) — never to the code that emitted. A microtask, not a timer: nothing to keep
 * the process alive, and nothing that fake timers hold back.
 * @internal
 */
export function reportSubscriberError(error: unknown): void {
  void Promise.resolve().then(() => {
    const report = config.onUnhandledError;
    if (report) report(error);
    else throw error;
  });
}

function drain(): void {
  queue.delivering = true;
  try {
    for (let item = queue.pending.shift(); item !== undefined; item = queue.pending.shift()) {
      item.channel.deliver(item.value);
    }
  } finally {
    queue.delivering = false;
    // Only reachable if a delivery threw (`deliver` catches what subscribers throw, so only a bug
    // or another copy's channel gets here): the next emit picks up what is left.
  }
}

/**
 * A private Subject behind a public Observable, with ordered, re-entrancy-safe delivery.
 * @internal
 */
export class Channel<T> {
  private readonly subject = new Subject<T>();
  /** The public side. */
  readonly observable: Observable<T> = this.subject.asObservable();

  /** True while someone listens: callers skip building events nobody will see. */
  get observed(): boolean {
    return this.subject.observed;
  }

  emit(value: T): void {
    if (queue.delivering || queue.pending.length > 0) {
      // Behind what is under way, or left over from a delivery that threw: keep the order.
      queue.pending.push({ channel: this as Channel<unknown>, value });
      if (!queue.delivering) drain();
      return;
    }
    // Nothing under way or waiting (the usual case): deliver at once, then what the subscribers emitted.
    queue.delivering = true;
    try {
      this.deliver(value);
    } finally {
      queue.delivering = false;
    }
    if (queue.pending.length > 0) drain();
  }

  /** @internal */
  deliver(value: T): void {
    // RxJS catches an error thrown by a subscriber and reports it asynchronously (as an unhandled
    // error, or to `config.onUnhandledError`): the emitter and other subscribers go on. Under
    // `config.useDeprecatedSynchronousErrorHandling` it rethrows it from `next` instead, once every
    // subscriber has had the value: caught here and reported the same way, so that no subscriber
    // can reach a caller or leave a breaker's state half-updated, whatever the RxJS settings.
    try {
      this.subject.next(value);
    } catch (error) {
      reportSubscriberError(error);
    }
  }
}
