import type { Subscription } from 'rxjs';
import {
  events$,
  getCircuitBreaker,
  getClock,
  listBulkheads,
  listCircuitBreakers,
  stateChanges$,
  type CircuitBreakerHandle,
  type Clock,
  type TimerHandle,
} from '../../index.js';
import { EventBatch } from './batch.js';
import type { ResolvedDashboardOptions } from './options.js';
import { sseComment, sseMessage } from './sse.js';
import {
  breakerView,
  bulkheadChanged,
  bulkheadView,
  changeView,
  ChangeRing,
  type BulkheadView,
  type SnapshotView,
} from './views.js';

/**
 * Where one client's stream is written: the HTTP response, seen through the little the hub needs.
 * @internal
 */
export interface SseSink {
  /** Queues a chunk (Node's `write()`: it buffers what the socket cannot take yet). */
  write(chunk: string): boolean;
  /** Bytes queued and not yet handed to the operating system. */
  readonly writableLength: number;
  /** Ends the stream politely (the browser will reconnect after the `retry:` delay). */
  end(): void;
  /** Drops the connection at once. */
  destroy(): void;
}

/** Why a client was not taken. @internal */
export type ConnectRefusal = 'full' | 'closed';

interface Timer {
  readonly clock: Clock;
  readonly handle: TimerHandle;
}

// A timer that never keeps the process alive: the dashboard is a window onto the process, not a reason
// for it to keep running. Timers of clocks without `unref` (a ManualClock) need no such care.
function schedule(callback: () => void, ms: number): Timer {
  const clock = getClock();
  const handle = clock.setTimeout(callback, ms);
  const unref = (handle as { unref?: unknown } | null)?.unref;
  if (typeof unref === 'function') unref.call(handle);
  return { clock, handle };
}

const cancel = (timer: Timer | undefined): void => timer?.clock.clearTimeout(timer.handle);

const present = (handle: CircuitBreakerHandle | undefined): handle is CircuitBreakerHandle => handle !== undefined;

/**
 * The event-stream side of the dashboard: the connected clients, the batch they are all sent every
 * `batchInterval`, the keep-alive comments, and the timeline kept for newcomers. Holds `events$` and its
 * two timers only while at least one client is connected.
 * @internal
 */
export class DashboardHub {
  private readonly clients = new Set<SseSink>();
  private readonly batch = new EventBatch();
  private readonly timeline: ChangeRing;
  private readonly changes: Subscription;
  private events: Subscription | undefined;
  private batchTimer: Timer | undefined;
  private pingTimer: Timer | undefined;
  private lastId = 0;
  private bulkheadsSent = new Map<string, BulkheadView>();
  private closed = false;

  constructor(private readonly options: ResolvedDashboardOptions) {
    this.timeline = new ChangeRing(options.timelineSize);
    // State changes are rare and the timeline must cover the time before anyone looked: this one
    // subscription lives as long as the hub.
    this.changes = stateChanges$.subscribe((change) => {
      this.timeline.push(changeView(change));
      if (this.clients.size > 0) this.batch.addChange(change);
    });
  }

  /** Clients connected now. */
  get size(): number {
    return this.clients.size;
  }

  /** Why a new client would be refused now, or undefined if it would be taken. */
  refusal(): ConnectRefusal | undefined {
    if (this.closed) return 'closed';
    return this.clients.size >= this.options.maxClients ? 'full' : undefined;
  }

  /**
   * Takes a client and sends it a full snapshot (preceded by the `retry:` hint). What the others had
   * pending is sent to them first, so the newcomer's snapshot and everything after it line up.
   *
   * @returns undefined when taken, else why not (nothing was written).
   */
  connect(sink: SseSink): ConnectRefusal | undefined {
    const refused = this.refusal();
    if (refused !== undefined) return refused;
    this.flush();
    if (this.clients.size === 0) this.wake();
    this.clients.add(sink);
    const snapshot = this.snapshot();
    this.bulkheadsSent = new Map(snapshot.bulkheads.map((b) => [b.name, b]));
    this.send(sink, sseMessage(++this.lastId, 'snapshot', JSON.stringify(snapshot), this.options.reconnectDelay));
    return undefined;
  }

  /** Forgets a client whose connection closed. */
  disconnect(sink: SseSink): void {
    if (this.clients.delete(sink) && this.clients.size === 0) this.sleep();
  }

  /** Ends every stream, stops listening, and refuses clients from now on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.changes.unsubscribe();
    const ending = [...this.clients];
    this.clients.clear();
    this.sleep();
    for (const sink of ending) sink.end();
  }

  /** Everything there is to show, for a client that just connected. */
  snapshot(): SnapshotView {
    return {
      now: getClock().now(),
      breakers: listCircuitBreakers().map(breakerView),
      bulkheads: listBulkheads().map((b) => bulkheadView(b.snapshot())),
      timeline: this.timeline.list(),
    };
  }

  private wake(): void {
    this.events = events$.subscribe((event) => this.batch.addEvent(event));
    this.armBatch();
    this.armPing();
  }

  private sleep(): void {
    this.events?.unsubscribe();
    this.events = undefined;
    cancel(this.batchTimer);
    cancel(this.pingTimer);
    this.batchTimer = undefined;
    this.pingTimer = undefined;
    this.batch.take();
  }

  private armBatch(): void {
    this.batchTimer = schedule(() => {
      this.batchTimer = undefined;
      this.flush();
      if (this.clients.size > 0) this.armBatch();
    }, this.options.batchInterval);
  }

  private armPing(): void {
    this.pingTimer = schedule(() => {
      this.pingTimer = undefined;
      this.broadcast(sseComment('ping'));
      if (this.clients.size > 0) this.armPing();
    }, this.options.keepAliveInterval);
  }

  /** Sends what accumulated, with fresh views of the breakers it touched and of bulkheads that moved. */
  private flush(): void {
    if (this.clients.size === 0) return;
    const taken = this.batch.take();
    const breakers = taken.breakers
      .map((name) => getCircuitBreaker(name))
      .filter(present)
      .map(breakerView);
    const bulkheads: BulkheadView[] = [];
    for (const handle of listBulkheads()) {
      const view = bulkheadView(handle.snapshot());
      if (bulkheadChanged(this.bulkheadsSent.get(view.name), view)) bulkheads.push(view);
      this.bulkheadsSent.set(view.name, view);
    }
    if (taken.counts.length === 0 && taken.changes.length === 0 && taken.dropped === 0 && bulkheads.length === 0) {
      return;
    }
    const payload = { now: getClock().now(), ...taken, breakers, bulkheads };
    this.broadcast(sseMessage(++this.lastId, 'batch', JSON.stringify(payload)));
  }

  private broadcast(frame: string): void {
    for (const sink of [...this.clients]) this.send(sink, frame);
  }

  // A client whose socket cannot take more (Node's write() returned false) is given a bounded grace: its
  // messages queue in memory until more than `maxBufferedBytes` wait, then it is dropped before the next
  // one. So memory per client stays under that bound plus one message, and a large first snapshot still
  // goes out whole.
  private send(sink: SseSink, frame: string): void {
    if (sink.writableLength > this.options.maxBufferedBytes) {
      this.drop(sink);
      return;
    }
    try {
      sink.write(frame);
    } catch {
      this.drop(sink);
    }
  }

  private drop(sink: SseSink): void {
    this.disconnect(sink);
    sink.destroy();
  }
}
