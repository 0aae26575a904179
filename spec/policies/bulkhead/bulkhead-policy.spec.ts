import fc from 'fast-check';
import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { isBulkheadFullError, type BulkheadFullError } from '../../../lib/errors/bulkhead-full-error.js';
import { events$ } from '../../../lib/events/streams.js';
import type { ResilienceEvent } from '../../../lib/events/types.js';
import { bulkhead } from '../../../lib/functional/bulkhead.js';
import { deferred, flushMicrotasks, getEventListeners, track, type Deferred } from './test-kit.js';

/** Starts a call whose work is a deferred the test settles; records when the work started. */
function starter(policy: ReturnType<typeof bulkhead>, started: number[]) {
  return (id: number, signal?: AbortSignal) => {
    const work = deferred<number>();
    const result = policy.execute(async () => {
      started.push(id);
      return work.promise;
    }, signal);
    return { work, result: track(result), promise: result };
  };
}

describe('BulkheadPolicy', () => {
  it('runs up to maxConcurrent calls and refuses the next with BulkheadFullError (full)', async () => {
    const b = bulkhead({ name: 'bp-full', maxConcurrent: 2 });
    const seen: ResilienceEvent[] = [];
    const local: unknown[] = [];
    const sub = events$.subscribe((e) => seen.push(e));
    const subLocal = b.events$.subscribe((e) => local.push(e));
    const started: number[] = [];
    const start = starter(b, started);
    const calls = [start(1), start(2)];
    await flushMicrotasks();
    expect(b.active).toBe(2);
    const refused = start(3);
    await flushMicrotasks();
    expect(refused.result.state).toBe('rejected');
    const error = refused.result.value as BulkheadFullError;
    expect(isBulkheadFullError(error)).toBe(true);
    expect(error).toMatchObject({ bulkheadName: 'bp-full', maxConcurrent: 2, maxQueue: 0, reason: 'full' });
    expect(started).toEqual([1, 2]);
    expect(seen).toEqual([
      expect.objectContaining({
        type: 'bulkhead_rejected',
        policy: 'bulkhead',
        name: 'bp-full',
        reason: 'full',
        active: 2,
        queued: 0,
      }),
    ]);
    expect(local).toEqual(seen);
    calls.forEach((c, i) => c.work.resolve(i));
    await flushMicrotasks();
    expect(calls.map((c) => c.result.value)).toEqual([0, 1]);
    expect(b.snapshot()).toEqual({
      name: 'bp-full',
      maxConcurrent: 2,
      maxQueue: 0,
      active: 0,
      queued: 0,
      available: 2,
    });
    sub.unsubscribe();
    subLocal.unsubscribe();
  });

  it('queues up to maxQueue and starts waiters first in, first out', async () => {
    const b = bulkhead({ maxConcurrent: 1, maxQueue: 3 });
    const started: number[] = [];
    const start = starter(b, started);
    const calls = [1, 2, 3, 4].map((id) => start(id));
    const over = start(5);
    await flushMicrotasks();
    expect([b.active, b.queued]).toEqual([1, 3]);
    expect(over.result.state).toBe('rejected');
    for (let i = 0; i < 4; i++) {
      expect(started).toEqual([1, 2, 3, 4].slice(0, i + 1));
      calls[i]!.work.resolve(i * 10);
      await flushMicrotasks();
    }
    expect(calls.map((c) => c.result.value)).toEqual([0, 10, 20, 30]);
    expect([b.active, b.queued]).toEqual([0, 0]);
  });

  it('releases the permit when the work rejects or throws synchronously, passing the same error', async () => {
    const b = bulkhead(1);
    const boom = new Error('boom');
    await expect(b.execute(() => Promise.reject(boom))).rejects.toBe(boom);
    await expect(
      b.execute((): Promise<void> => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(b.active).toBe(0);
    await expect(b.execute(async () => 'ok')).resolves.toBe('ok');
  });

  it('rejects a waiter still queued after queueTimeout, removes it, and gives the permit to the next', async () => {
    const clock = new ManualClock();
    const b = bulkhead({ name: 'bp-qt', maxConcurrent: 1, maxQueue: 2, queueTimeout: 100, clock });
    const started: number[] = [];
    const start = starter(b, started);
    const first = start(1);
    const early = start(2);
    await flushMicrotasks();
    clock.advance(60);
    const late = start(3);
    await flushMicrotasks();
    clock.advance(40); // waiter 2 has waited 100 ms, waiter 3 only 40
    await flushMicrotasks();
    expect(early.result.state).toBe('rejected');
    expect(early.result.value).toMatchObject({ reason: 'queue_timeout', bulkheadName: 'bp-qt' });
    expect([b.active, b.queued, clock.pendingTimers]).toEqual([1, 1, 1]);
    first.work.resolve(1);
    await flushMicrotasks();
    expect(started).toEqual([1, 3]); // never 2
    expect(clock.pendingTimers).toBe(0); // 3's queue timer cleared when it started
    late.work.resolve(3);
    await flushMicrotasks();
    expect(late.result.value).toBe(3);
    expect([b.active, b.queued]).toEqual([0, 0]);
  });

  it('removes a waiter whose caller aborts, leaves no listener, and never hands it a permit', async () => {
    const b = bulkhead({ maxConcurrent: 1, maxQueue: 5 });
    const started: number[] = [];
    const start = starter(b, started);
    const controller = new AbortController();
    const first = start(1);
    const gone = start(2, controller.signal);
    const next = start(3);
    await flushMicrotasks();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1); // one shared listener for the engine and the waiter
    const reason = new Error('caller left');
    controller.abort(reason);
    await flushMicrotasks();
    expect(gone.result).toEqual({ state: 'rejected', value: reason });
    expect(b.queued).toBe(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    first.work.resolve(1);
    await flushMicrotasks();
    expect(started).toEqual([1, 3]);
    next.work.resolve(3);
    await flushMicrotasks();
    expect(b.active).toBe(0);
  });

  it('frees the permit (not lost) when the only waiter has gone', async () => {
    const b = bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const controller = new AbortController();
    const started: number[] = [];
    const start = starter(b, started);
    const first = start(1);
    start(2, controller.signal);
    await flushMicrotasks();
    controller.abort();
    first.work.resolve(1);
    await flushMicrotasks();
    expect([b.active, b.queued]).toEqual([0, 0]);
    const again = start(4);
    await flushMicrotasks();
    expect(started).toEqual([1, 4]);
    again.work.resolve(4);
    await flushMicrotasks();
  });

  it('rejects with the reason, without taking a permit, when the caller signal is already aborted', async () => {
    const b = bulkhead(1);
    const reason = new Error('before');
    const fn = jest.fn(async () => 1);
    await expect(b.execute(fn, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
    expect(b.active).toBe(0);
  });

  it('keeps its invariants under random arrivals, completions, aborts and queue timeouts (model)', async () => {
    type Op =
      | { op: 'call'; abortable: boolean }
      | { op: 'settle'; pick: number; fail: boolean }
      | { op: 'abort'; pick: number }
      | { op: 'tick'; ms: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.boolean().map<Op>((abortable) => ({ op: 'call', abortable })),
      fc.record({ pick: fc.nat(30), fail: fc.boolean() }).map<Op>((r) => ({ op: 'settle', ...r })),
      fc.nat(30).map<Op>((pick) => ({ op: 'abort', pick })),
      fc.integer({ min: 1, max: 80 }).map<Op>((ms) => ({ op: 'tick', ms })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(op, { maxLength: 60 }),
        async (maxConcurrent, maxQueue, ops) => {
          const clock = new ManualClock();
          const b = bulkhead({ maxConcurrent, maxQueue, queueTimeout: 100, clock });
          interface Entry {
            id: number;
            controller: AbortController;
            work: Deferred<number>;
            result: ReturnType<typeof track>;
            started: boolean;
          }
          const entries: Entry[] = [];
          const startOrder: number[] = [];
          let running = 0;
          const check = (): void => {
            expect(running).toBeLessThanOrEqual(maxConcurrent);
            expect(b.active).toBe(running);
            expect(b.queued).toBeLessThanOrEqual(maxQueue);
          };
          for (const o of ops) {
            if (o.op === 'call') {
              const entry = {
                id: entries.length,
                controller: new AbortController(),
                work: deferred<number>(),
                started: false,
              } as Entry;
              const promise = b.execute(
                async () => {
                  entry.started = true;
                  startOrder.push(entry.id);
                  running++;
                  try {
                    return await entry.work.promise;
                  } finally {
                    running--;
                  }
                },
                o.abortable ? entry.controller.signal : undefined,
              );
              entry.result = track(promise);
              entries.push(entry);
            } else if (o.op === 'settle') {
              const live = entries.filter((e) => e.started);
              const e = live[o.pick % Math.max(1, live.length)];
              if (e && o.fail) e.work.reject(new Error('x'));
              else if (e) e.work.resolve(e.id);
            } else if (o.op === 'abort') {
              entries[o.pick % Math.max(1, entries.length)]?.controller.abort();
            } else {
              clock.advance(o.ms);
            }
            await flushMicrotasks();
            check();
          }
          // Drain: finish everything that started (and whatever starts after), then check the end state.
          // A call whose caller aborted has already rejected, but its work still holds a permit.
          for (
            let guard = 0;
            guard < 200 && (running > 0 || entries.some((e) => e.result.state === 'pending'));
            guard++
          ) {
            entries.filter((e) => e.started).forEach((e) => e.work.resolve(e.id));
            clock.advance(100);
            await flushMicrotasks();
            check();
          }
          expect(entries.every((e) => e.result.state !== 'pending')).toBe(true);
          expect([b.active, b.queued, clock.pendingTimers]).toEqual([0, 0, 0]);
          // Started in arrival order among those that started (FIFO), each at most once.
          expect(startOrder).toEqual([...startOrder].sort((x, y) => x - y));
          expect(new Set(startOrder).size).toBe(startOrder.length);
          for (const e of entries) {
            // A call that never started was refused, timed out in the queue or aborted; one that
            // resolved got its own work's value.
            if (!e.started) expect(e.result.state).toBe('rejected');
            if (e.result.state === 'resolved') expect(e.result.value).toBe(e.id);
            expect(getEventListeners(e.controller.signal, 'abort')).toHaveLength(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
