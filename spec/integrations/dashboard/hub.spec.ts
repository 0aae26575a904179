import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  ManualClock,
  setClock,
  systemClock,
  type TimerHandle,
} from '../../../lib/index';
import { DashboardHub, type SseSink } from '../../../lib/integrations/dashboard/hub';
import { resolveDashboardOptions, type DashboardHandlerOptions } from '../../../lib/integrations/dashboard/options';
import { deferred, flushMicrotasks } from '../../support/async';
import { readSse, sseComments } from './fixtures/sse-reader';

/** A ManualClock whose timers record whether they were unref'd (as Node's timers are, by the hub). */
class UnrefRecordingClock extends ManualClock {
  readonly unrefd = new Set<number>();
  override setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = super.setTimeout(callback, ms) as number;
    return { id, unref: () => this.unrefd.add(id) };
  }
  override clearTimeout(handle: TimerHandle): void {
    super.clearTimeout((handle as { id: number }).id);
  }
}

/** A client's stream as the hub sees it; `slow` makes every write report a backed-up socket. */
class RecordingSink implements SseSink {
  text = '';
  writableLength = 0;
  ended = false;
  destroyed = false;
  slow = false;
  throws = false;
  write(chunk: string): boolean {
    if (this.throws) throw new Error('write after end');
    this.text += chunk;
    if (this.slow) this.writableLength += Buffer.byteLength(chunk);
    return !this.slow;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  get messages(): { id?: string; event?: string; retry?: number; data: any }[] {
    return readSse(this.text).map((m) => ({ ...m, data: JSON.parse(m.data) }));
  }
  get batches(): any[] {
    return this.messages.filter((m) => m.event === 'batch').map((m) => m.data);
  }
}

const fail = (): Promise<never> => Promise.reject(new Error('down'));
const hubWith = (options: DashboardHandlerOptions = {}): DashboardHub =>
  new DashboardHub(resolveDashboardOptions(options, 'test'));

describe('DashboardHub', () => {
  let clock: UnrefRecordingClock;
  const hubs: DashboardHub[] = [];
  const make = (options?: DashboardHandlerOptions): DashboardHub => {
    const hub = hubWith(options);
    hubs.push(hub);
    return hub;
  };

  beforeEach(() => {
    clock = new UnrefRecordingClock({ now: 1_700_000_000_000 });
    setClock(clock);
  });
  afterEach(() => {
    hubs.splice(0).forEach((hub) => hub.close());
    setClock(systemClock);
  });

  it('runs no timer and counts no event while nobody is connected; two unref’d timers while someone is', async () => {
    const hub = make();
    const breaker = circuitBreaker({ name: 'hub-idle', failureThreshold: 100 });
    await breaker.execute(async () => 'ok');
    expect(clock.pendingTimers).toBe(0);

    const sink = new RecordingSink();
    expect(hub.connect(sink)).toBeUndefined();
    expect(clock.pendingTimers).toBe(2);
    expect(clock.unrefd.size).toBe(2);
    // The call before anyone connected was never counted: the first tick has nothing to send.
    clock.advance(250);
    expect(sink.batches).toEqual([]);
    await breaker.execute(async () => 'ok');
    clock.advance(250);
    expect(sink.batches.map((b) => b.counts)).toEqual([[{ name: 'hub-idle', success: 1 }]]);

    hub.disconnect(sink);
    expect(hub.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    // Disconnected: nothing counted, nothing scheduled.
    await breaker.execute(async () => 'ok');
    expect(clock.pendingTimers).toBe(0);
  });

  it('sends a snapshot with the retry hint first, then numbered batches every interval, and nothing when idle', async () => {
    const hub = make({ reconnectDelay: 3_000 });
    const breaker = circuitBreaker({ name: 'hub-trip', failureThreshold: 2, resetTimeout: 10_000 });
    const sink = new RecordingSink();
    hub.connect(sink);
    const [snapshot] = sink.messages;
    expect(snapshot).toMatchObject({ id: '1', event: 'snapshot', retry: 3_000 });
    expect(snapshot!.data.now).toBe(1_700_000_000_000);
    expect(snapshot!.data.breakers.find((b: any) => b.name === 'hub-trip')).toMatchObject({ state: 'closed' });

    await breaker.execute(fail).catch(() => undefined);
    await breaker.execute(fail).catch(() => undefined);
    clock.advance(249);
    expect(sink.batches).toHaveLength(0);
    clock.advance(1);
    expect(sink.messages.map((m) => [m.id, m.event])).toEqual([
      ['1', 'snapshot'],
      ['2', 'batch'],
    ]);
    const [batch] = sink.batches;
    expect(batch.now).toBe(1_700_000_000_250);
    expect(batch.counts).toEqual([{ name: 'hub-trip', failure: 2 }]);
    expect(batch.changes).toEqual([
      { name: 'hub-trip', from: 'closed', to: 'open', at: 1_700_000_000_000, reason: 'failure_threshold' },
    ]);
    expect(batch.breakers).toEqual([
      expect.objectContaining({
        name: 'hub-trip',
        state: CircuitState.Open,
        retryAfter: 9_750,
        openedAt: 1_700_000_000_000,
      }),
    ]);

    await breaker.execute(async () => 'not run').catch(() => undefined);
    clock.advance(250);
    clock.advance(250);
    clock.advance(250);
    expect(sink.messages.map((m) => m.id)).toEqual(['1', '2', '3']);
    expect(sink.batches[1].counts).toEqual([{ name: 'hub-trip', rejected: 1 }]);
  });

  it('pings every keepAliveInterval while connected', () => {
    const hub = make();
    const sink = new RecordingSink();
    hub.connect(sink);
    clock.advance(14_999);
    expect(sseComments(sink.text)).toEqual([]);
    clock.advance(1);
    expect(sseComments(sink.text)).toEqual(['ping']);
    clock.advance(15_000);
    expect(sseComments(sink.text)).toEqual(['ping', 'ping']);
  });

  it('sends what is pending to the others before a newcomer’s snapshot, so nothing reaches anyone twice', async () => {
    const hub = make();
    const breaker = circuitBreaker({ name: 'hub-newcomer', failureThreshold: 1 });
    const first = new RecordingSink();
    hub.connect(first);
    await breaker.execute(fail).catch(() => undefined);
    const second = new RecordingSink();
    hub.connect(second);
    expect(first.batches.map((b) => b.counts)).toEqual([[{ name: 'hub-newcomer', failure: 1 }]]);
    expect(second.messages.map((m) => m.event)).toEqual(['snapshot']);
    const seen = second.messages[0]!.data;
    expect(seen.breakers.find((b: any) => b.name === 'hub-newcomer').state).toBe('open');
    expect(seen.timeline.filter((c: any) => c.name === 'hub-newcomer')).toHaveLength(1);
    clock.advance(1_000);
    expect(second.batches).toEqual([]);
    expect(first.messages.map((m) => m.id)).toEqual(['1', '2']);
    expect(second.messages.map((m) => m.id)).toEqual(['3']);
  });

  it('starts a newcomer’s timeline with changes from before anyone connected, keeping the newest timelineSize', async () => {
    const hub = make({ timelineSize: 2 });
    const breaker = circuitBreaker({ name: 'hub-timeline', failureThreshold: 1, resetTimeout: 0 });
    await breaker.execute(fail).catch(() => undefined); // closed → open
    await breaker.execute(async () => 'ok'); // open → half_open → (one success of two) stays half-open
    const sink = new RecordingSink();
    hub.connect(sink);
    expect(sink.messages[0]!.data.timeline.map((c: any) => `${c.from}->${c.to}`)).toEqual([
      'closed->open',
      'open->half_open',
    ]);
    breaker.reset();
    hub.disconnect(sink);
    const later = new RecordingSink();
    hub.connect(later);
    expect(later.messages[0]!.data.timeline.map((c: any) => c.to)).toEqual(['half_open', 'closed']);
  });

  it('tells the page when a bulkhead’s use moves, read when the batch is sent', async () => {
    const hub = make();
    const pool = bulkhead({ name: 'hub-pool', maxConcurrent: 2, maxQueue: 1 });
    const sink = new RecordingSink();
    hub.connect(sink);
    expect(sink.messages[0]!.data.bulkheads).toContainEqual({
      name: 'hub-pool',
      maxConcurrent: 2,
      maxQueue: 1,
      active: 0,
      queued: 0,
    });
    const work = deferred<string>();
    const running = pool.execute(() => work.promise);
    await flushMicrotasks();
    clock.advance(250);
    expect(sink.batches.at(-1).bulkheads).toEqual([
      { name: 'hub-pool', maxConcurrent: 2, maxQueue: 1, active: 1, queued: 0 },
    ]);
    clock.advance(250);
    expect(sink.batches).toHaveLength(1);
    work.resolve('done');
    await running;
    clock.advance(250);
    expect(sink.batches.at(-1).bulkheads).toEqual([expect.objectContaining({ name: 'hub-pool', active: 0 })]);
  });

  it('refuses a client past maxClients without writing to it', () => {
    const hub = make({ maxClients: 2 });
    hub.connect(new RecordingSink());
    hub.connect(new RecordingSink());
    const third = new RecordingSink();
    expect(hub.refusal()).toBe('full');
    expect(hub.connect(third)).toBe('full');
    expect(third.text).toBe('');
    expect(hub.size).toBe(2);
  });

  it('drops a client whose socket backs up past maxBufferedBytes, and only that one', async () => {
    const limit = 4_000;
    const hub = make({ maxBufferedBytes: limit });
    const breaker = circuitBreaker({ name: `hub-slow-${'x'.repeat(200)}`, failureThreshold: 1_000 });
    const slow = new RecordingSink();
    slow.slow = true;
    const fast = new RecordingSink();
    hub.connect(slow);
    hub.connect(fast);
    let largest = 0;
    for (let i = 0; i < 50 && !slow.destroyed; i++) {
      await breaker.execute(async () => 'ok');
      const before = fast.text.length;
      clock.advance(250);
      largest = Math.max(largest, fast.text.length - before);
      // While it is kept, what waits for the slow client never exceeds the limit by more than one message.
      expect(slow.writableLength).toBeLessThanOrEqual(limit + largest);
    }
    expect(slow.destroyed).toBe(true);
    expect(slow.writableLength).toBeGreaterThan(limit);
    expect(hub.size).toBe(1);
    const sentToFast = fast.batches.length;
    await breaker.execute(async () => 'ok');
    clock.advance(250);
    expect(fast.batches).toHaveLength(sentToFast + 1);
  });

  it('drops a client whose write throws', () => {
    const hub = make();
    const broken = new RecordingSink();
    hub.connect(broken);
    broken.throws = true;
    clock.advance(15_000);
    expect(broken.destroyed).toBe(true);
    expect(hub.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('close() ends every stream, clears its timers, and refuses clients from then on', () => {
    const hub = make();
    const a = new RecordingSink();
    const b = new RecordingSink();
    hub.connect(a);
    hub.connect(b);
    hub.close();
    expect([a.ended, b.ended]).toEqual([true, true]);
    expect(hub.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(hub.connect(new RecordingSink())).toBe('closed');
    hub.close();
  });
});

describe('DashboardHub under jest fake timers, with no setup', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('schedules its batch and ping timers only while a client is connected', async () => {
    const hub = hubWith();
    const breaker = circuitBreaker({ name: 'hub-fake-timers', failureThreshold: 1 });
    expect(jest.getTimerCount()).toBe(0);
    const sink = new RecordingSink();
    hub.connect(sink);
    expect(jest.getTimerCount()).toBe(2);
    await breaker.execute(fail).catch(() => undefined);
    jest.advanceTimersByTime(250);
    expect(sink.batches[0].changes).toEqual([expect.objectContaining({ name: 'hub-fake-timers', to: 'open' })]);
    jest.advanceTimersByTime(15_000);
    expect(sseComments(sink.text)).toEqual(['ping']);
    hub.disconnect(sink);
    expect(jest.getTimerCount()).toBe(0);
    hub.close();
  });
});
