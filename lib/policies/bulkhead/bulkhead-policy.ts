import type { Observable } from 'rxjs';
import { getClock, type Clock, type TimerHandle } from '../../clock/clock.js';
import type { Call, PolicyExecutor, Step } from '../../runtime/call.js';
import { BULKHEAD_ORIGIN, BulkheadFullError } from '../../errors/bulkhead-full-error.js';
import { Channel } from '../../events/channel.js';
import { emitEvent } from '../../events/outbox.js';
import type { BulkheadRejectedEvent, ResilienceEvent } from '../../events/types.js';
import type { BulkheadHandle, BulkheadSnapshot } from './handle.js';
import type { ResolvedBulkheadOptions } from './options.js';
import { QueueNode, WaiterQueue } from './queue.js';

/** A call waiting for a permit, with what it must undo when it leaves the queue. */
class Waiter extends QueueNode {
  timer: TimerHandle = undefined;
  clock: Clock | undefined = undefined;
  stopListening: (() => void) | undefined = undefined;
  constructor(
    readonly call: Call,
    readonly step: Step,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {
    super();
  }
}

/**
 * The run-time bulkhead: a counting semaphore with a FIFO queue. A permit is taken before the
 * inner layers run and given back only when their promise settles — not when an outer timeout
 * gives up — so the work really running never exceeds `maxConcurrent`.
 * @internal
 */
export class BulkheadPolicy implements PolicyExecutor, BulkheadHandle {
  readonly kind = 'bulkhead' as const;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  private running = 0;
  private readonly queue = new WaiterQueue<Waiter>();
  private readonly channel = new Channel<ResilienceEvent>();
  readonly events$: Observable<BulkheadRejectedEvent>;

  constructor(
    readonly name: string,
    readonly options: ResolvedBulkheadOptions,
  ) {
    this.maxConcurrent = options.maxConcurrent;
    this.maxQueue = options.maxQueue;
    this.events$ = this.channel.observable as Observable<BulkheadRejectedEvent>;
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.queue.size;
  }

  snapshot(): BulkheadSnapshot {
    const { name, maxConcurrent, maxQueue, running, queue } = this;
    return { name, maxConcurrent, maxQueue, active: running, queued: queue.size, available: maxConcurrent - running };
  }

  run(call: Call, next: Step): Promise<unknown> {
    if (call.scope.aborted) return Promise.reject(call.scope.reason);
    if (this.running < this.maxConcurrent) {
      this.running++;
      return this.holdPermit(call, next);
    }
    if (this.queue.size >= this.maxQueue) return Promise.reject(this.refuse('full'));
    return new Promise((resolve, reject) => this.enqueue(new Waiter(call, next, resolve, reject)));
  }

  /** Runs the inner layers with a permit already counted; the permit goes back when they settle. */
  private holdPermit(call: Call, next: Step): Promise<unknown> {
    let inner: Promise<unknown>;
    try {
      inner = next(call);
    } catch (error) {
      inner = Promise.reject(error);
    }
    // A second reaction, not a wrapper: the caller awaits `inner` itself (no extra hop), and this
    // one handles the rejection too, so it can never surface as unhandled.
    inner.then(this.release, this.release);
    return inner;
  }

  /** Hands the permit to the oldest live waiter, or frees it. */
  private readonly release = (): void => {
    for (let waiter = this.queue.shift(); waiter !== undefined; waiter = this.queue.shift()) {
      this.stopWaiting(waiter);
      // Waiters leave the queue synchronously when they abort; this only guards a scope that
      // reports `aborted` without having told its listeners yet.
      if (waiter.call.scope.aborted) {
        waiter.reject(waiter.call.scope.reason);
        continue;
      }
      // The permit passes straight to the waiter: `running` is unchanged, so no newcomer can
      // overtake the queue between release and start.
      waiter.resolve(this.holdPermit(waiter.call, waiter.step));
      return;
    }
    this.running--;
  };

  private enqueue(waiter: Waiter): void {
    this.queue.push(waiter);
    const { call } = waiter;
    if (call.scope.cancellable)
      waiter.stopListening = call.scope.onAbort((reason) => this.leave(waiter, reason, false));
    const { queueTimeout } = this.options;
    if (queueTimeout !== undefined) {
      const clock = (waiter.clock = this.clock());
      waiter.timer = clock.setTimeout(() => this.leave(waiter, undefined, true), queueTimeout);
    }
  }

  /** A waiter gives up (abort or queue timeout): it leaves the queue and never gets a permit. */
  private leave(waiter: Waiter, reason: unknown, timedOut: boolean): void {
    if (!this.queue.remove(waiter)) return;
    this.stopWaiting(waiter);
    waiter.reject(timedOut ? this.refuse('queue_timeout') : reason);
  }

  private stopWaiting(waiter: Waiter): void {
    const { stopListening, clock } = waiter;
    waiter.stopListening = undefined;
    waiter.clock = undefined;
    stopListening?.();
    clock?.clearTimeout(waiter.timer);
  }

  private refuse(reason: 'full' | 'queue_timeout'): BulkheadFullError {
    emitEvent(
      () => ({
        type: 'bulkhead_rejected',
        at: this.clock().now(),
        policy: 'bulkhead',
        name: this.name,
        reason,
        active: this.running,
        queued: this.queue.size,
      }),
      this.channel,
    );
    const error = new BulkheadFullError(this.name, this.maxConcurrent, this.maxQueue, reason);
    // Signed, so that a breaker can tell its own chain's bulkhead from a dependency's (classify.ts).
    Object.defineProperty(error, BULKHEAD_ORIGIN, { value: this });
    return error;
  }

  private clock(): Clock {
    return this.options.clock ?? getClock();
  }
}
