import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ManualClock } from '../../lib/clock/manual-clock.js';
import { Bulkhead } from '../../lib/decorators/bulkhead.js';
import { Timeout } from '../../lib/decorators/timeout.js';
import { currentSignal } from '../../lib/runtime/async-context.js';
import { isBulkheadFullError } from '../../lib/errors/bulkhead-full-error.js';
import { isTimeoutError } from '../../lib/errors/timeout-error.js';
import { getBulkhead } from '../../lib/policies/bulkhead/registry.js';
import { bulkhead } from '../../lib/functional/bulkhead.js';
import { compose } from '../../lib/functional/compose.js';
import { timeout } from '../../lib/functional/timeout.js';
import { deferred, flushMicrotasks, getEventListeners, track, type Deferred } from '../policies/bulkhead/test-kit.js';

describe('cancellation (caller signal, @Timeout, currentSignal)', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('the signal a method receives', () => {
    beforeEach(() => jest.useFakeTimers());

    class Worker {
      received: AbortSignal | undefined;
      inside: Array<AbortSignal | undefined> = [];
      @Timeout(1_000)
      async run(_input: string, signal?: AbortSignal): Promise<void> {
        this.received = signal;
        this.inside.push(currentSignal());
        await Promise.resolve();
        this.inside.push(currentSignal());
        await new Promise((r) => setTimeout(r, 10));
        this.inside.push(currentSignal());
        await new Promise(() => undefined);
      }
    }

    it('replaces the caller signal (last argument) with one that aborts when the caller aborts', async () => {
      const w = new Worker();
      const controller = new AbortController();
      const result = track(w.run('x', controller.signal));
      await jest.advanceTimersByTimeAsync(20);
      expect(w.received).toBeInstanceOf(AbortSignal);
      expect(w.received).not.toBe(controller.signal);
      expect(w.received?.aborted).toBe(false);
      const reason = new Error('caller gave up');
      controller.abort(reason);
      await flushMicrotasks();
      expect(w.received?.aborted).toBe(true);
      expect(w.received?.reason).toBe(reason);
      expect(result).toEqual({ state: 'rejected', value: reason });
      expect(jest.getTimerCount()).toBe(0);
    });

    it('aborts the replacement signal with the TimeoutError when the timeout fires first', async () => {
      const w = new Worker();
      const controller = new AbortController();
      const result = track(w.run('x', controller.signal));
      await jest.advanceTimersByTimeAsync(1_000);
      expect(isTimeoutError(result.value)).toBe(true);
      expect(w.received?.reason).toBe(result.value);
      expect(controller.signal.aborted).toBe(false); // the caller's own signal is never aborted by us
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('returns the same signal from currentSignal() across awaits and timers', async () => {
      const w = new Worker();
      void track(w.run('x', new AbortController().signal));
      await jest.advanceTimersByTimeAsync(20);
      expect(w.inside).toHaveLength(3);
      for (const s of w.inside) expect(s).toBe(w.received);
      await jest.advanceTimersByTimeAsync(1_000);
    });

    it('hands the caller signal itself to a method with no @Timeout', async () => {
      let received: AbortSignal | undefined;
      class Plain {
        @Bulkhead(1)
        async go(signal: AbortSignal): Promise<void> {
          received = signal;
          expect(currentSignal()).toBe(signal);
        }
      }
      const signal = new AbortController().signal;
      await new Plain().go(signal);
      expect(received).toBe(signal);
    });
  });

  it('enters AsyncLocalStorage only for calls that carry a signal', async () => {
    // Node 24+ enters with enterWith (inside an AsyncResource), earlier versions with run: count both.
    const run = jest.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = jest.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    const entries = (): number => run.mock.calls.length + enterWith.mock.calls.length;
    const seen: Array<AbortSignal | undefined> = [];
    class Mixed {
      @Bulkhead(2)
      async plain(_signal?: AbortSignal): Promise<void> {
        await Promise.resolve();
        seen.push(currentSignal());
      }
      @Timeout(1_000)
      async timed(): Promise<void> {
        await Promise.resolve();
        seen.push(currentSignal());
      }
    }
    const m = new Mixed();
    await m.plain();
    expect(entries()).toBe(0);
    expect(seen).toEqual([undefined]);
    await m.timed();
    expect(entries()).toBe(1);
    await m.plain(new AbortController().signal);
    expect(entries()).toBe(2);
    await m.plain();
    expect(entries()).toBe(2);
    expect(seen[1]).toBeInstanceOf(AbortSignal);
    expect(seen[3]).toBeUndefined();
  });

  it('clears every timer when a call settles, whichever way it settles', async () => {
    jest.useFakeTimers();
    const gate: { d: Deferred<string> | undefined } = { d: undefined };
    class Timed {
      @Timeout(100)
      @Bulkhead({ maxConcurrent: 1, maxQueue: 1, queueTimeout: 50 })
      async go(mode: 'ok' | 'fail' | 'hang' | 'gate', _signal?: AbortSignal): Promise<string> {
        if (mode === 'ok') return 'ok';
        if (mode === 'fail') throw new Error('fail');
        if (mode === 'gate') return (gate.d = deferred<string>()).promise;
        return new Promise(() => undefined);
      }
    }
    const t = new Timed();
    await expect(t.go('ok')).resolves.toBe('ok');
    expect(jest.getTimerCount()).toBe(0);
    await expect(t.go('fail')).rejects.toThrow('fail');
    expect(jest.getTimerCount()).toBe(0);
    const controller = new AbortController();
    const aborted = track(t.go('gate', controller.signal));
    await flushMicrotasks();
    controller.abort();
    await flushMicrotasks();
    expect(aborted.state).toBe('rejected');
    expect(jest.getTimerCount()).toBe(0);
    // The gated work still holds the permit: the next call queues, then leaves on its queue timeout.
    const queued = track(t.go('ok'));
    await jest.advanceTimersByTimeAsync(50);
    expect(queued.value).toMatchObject({ reason: 'queue_timeout' });
    expect(jest.getTimerCount()).toBe(0);
    gate.d?.resolve('done');
    await flushMicrotasks();
    const hung = track(t.go('hang'));
    await jest.advanceTimersByTimeAsync(100);
    expect(isTimeoutError(hung.value)).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps the listener count on a long-lived caller signal constant over 100,000 calls', async () => {
    // A ManualClock: each call sets and clears one timer that never fires, cheaply. The work mostly takes no parameter, so no AbortController is made for it (Node 20's are
    // slow to create); every 100th call takes the signal to exercise that path too.
    const clock = new ManualClock();
    const policy = compose(timeout({ duration: 5_000, clock }), bulkhead({ maxConcurrent: 8, maxQueue: 100 }));
    const controller = new AbortController();
    // No setMaxListeners: however many calls are in flight, breakwater keeps one listener on the
    // signal, so Node's warning threshold of 10 is never reached.
    const batch = 50;
    let ok = 0;
    let peak = 0;
    const work = async (i: number): Promise<number> => {
      if (i % 3 === 0) await Promise.resolve();
      if (i % 7 === 0) throw new Error('odd');
      return i;
    };
    for (let start = 0; start < 100_000; start += batch) {
      const calls: Array<Promise<unknown>> = [];
      for (let i = start; i < start + batch; i++) {
        const fn = i % 100 === 0 ? (signal: AbortSignal | undefined) => (signal?.aborted ? 0 : work(i)) : () => work(i);
        calls.push(
          policy.execute(fn, controller.signal).then(
            () => ok++,
            () => undefined,
          ),
        );
      }
      // Every call of the batch is in flight here: the most listeners there can be at once.
      peak = Math.max(peak, getEventListeners(controller.signal, 'abort').length);
      await Promise.all(calls);
      const left = getEventListeners(controller.signal, 'abort').length;
      if (left !== 0) throw new Error(`listeners left after batch ${start}: ${left}`);
    }
    expect(ok).toBe(100_000 - Math.ceil(100_000 / 7));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // In flight: one listener for the whole batch, whatever the number of calls sharing the signal.
    expect(peak).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  }, 60_000);

  describe('pitfalls: bulkhead and timeout', () => {
    beforeEach(() => jest.useFakeTimers());

    it('keeps the permit of timed-out work until it really settles: real concurrency never exceeds the limit', async () => {
      let running = 0;
      let peak = 0;
      const works: Array<Deferred<void>> = [];
      class Slow {
        @Timeout(100)
        @Bulkhead({ name: 'pit-permit', maxConcurrent: 2, maxQueue: 10 })
        async go(): Promise<void> {
          running++;
          peak = Math.max(peak, running);
          const work = deferred();
          works.push(work);
          try {
            await work.promise; // ignores its signal
          } finally {
            running--;
          }
        }
      }
      const s = new Slow();
      const first = [track(s.go()), track(s.go())];
      await jest.advanceTimersByTimeAsync(100);
      expect(first.every((r) => isTimeoutError(r.value))).toBe(true);
      expect(getBulkhead('pit-permit')).toMatchObject({ active: 2 });
      const more = [track(s.go()), track(s.go()), track(s.go())];
      await jest.advanceTimersByTimeAsync(50);
      expect(running).toBe(2);
      expect(getBulkhead('pit-permit')).toMatchObject({ active: 2, queued: 3 });
      works[0]!.resolve();
      await flushMicrotasks();
      expect(running).toBe(2); // one finished, one waiter started
      await jest.advanceTimersByTimeAsync(100);
      for (const w of works) w.resolve();
      await flushMicrotasks();
      for (const w of works) w.resolve();
      await flushMicrotasks();
      expect(peak).toBe(2);
      expect(more.every((r) => r.state === 'rejected')).toBe(true);
      expect(getBulkhead('pit-permit')).toMatchObject({ active: 0, queued: 0 });
    });

    it('never hands a permit to a waiter that timed out or was aborted, and never loses it', async () => {
      const ran: string[] = [];
      const hold = deferred();
      class Queue {
        @Timeout(100)
        @Bulkhead({ name: 'pit-waiter', maxConcurrent: 1, maxQueue: 5 })
        async go(id: string, _signal?: AbortSignal): Promise<string> {
          ran.push(id);
          if (id === 'holder') await hold.promise;
          return id;
        }
      }
      const q = new Queue();
      const holder = track(q.go('holder'));
      await jest.advanceTimersByTimeAsync(10);
      const controller = new AbortController();
      const aborted = track(q.go('aborted', controller.signal));
      await jest.advanceTimersByTimeAsync(10);
      const timedOut = track(q.go('timed-out'));
      await jest.advanceTimersByTimeAsync(85); // holder times out at 100, but keeps its permit
      expect(isTimeoutError(holder.value)).toBe(true);
      controller.abort(new Error('bye'));
      await jest.advanceTimersByTimeAsync(20); // 'timed-out' has waited 105 ms
      expect(isTimeoutError(timedOut.value)).toBe(true);
      expect(aborted.state).toBe('rejected');
      expect(getBulkhead('pit-waiter')).toMatchObject({ active: 1, queued: 0 });
      const next = track(q.go('next'));
      hold.resolve();
      await flushMicrotasks();
      expect(next).toEqual({ state: 'resolved', value: 'next' });
      expect(ran).toEqual(['holder', 'next']);
      expect(getBulkhead('pit-waiter')).toMatchObject({ active: 0, queued: 0 });
      await expect(q.go('after')).resolves.toBe('after');
    });

    it('leaves no abort listener behind on a long-lived caller signal (no AbortSignal.any)', async () => {
      const any = jest.spyOn(AbortSignal, 'any');
      class Api {
        @Timeout(1_000)
        @Bulkhead({ maxConcurrent: 1, maxQueue: 1000 })
        async get(_signal: AbortSignal): Promise<void> {
          await new Promise((r) => setTimeout(r, 1));
        }
      }
      const api = new Api();
      const signal = new AbortController().signal;
      const calls = Array.from({ length: 200 }, () => api.get(signal));
      await jest.advanceTimersByTimeAsync(10);
      expect(getEventListeners(signal, 'abort')).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(500);
      await Promise.all(calls);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      expect(any).not.toHaveBeenCalled();
    });

    it('never turns a late rejection after a timeout into an unhandledRejection (in jest)', async () => {
      // Jest fails the running test on an unhandled rejection (Node turns it into an uncaught
      // exception); the next test proves the same in a plain process, with a control.
      jest.useRealTimers();
      const late = new Error('late failure');
      class Late {
        @Timeout(1)
        @Bulkhead(3)
        async go(): Promise<void> {
          await new Promise((r) => setTimeout(r, 20));
          throw late;
        }
      }
      const results = await Promise.allSettled([new Late().go(), new Late().go()]);
      expect(results.map((r) => r.status === 'rejected' && isTimeoutError(r.reason))).toEqual([true, true]);
      await new Promise((r) => setTimeout(r, 40));
      await new Promise((r) => setImmediate(r));
    });

    const once =
      (globalThis as { BREAKWATER_DECORATOR_MODE?: string }).BREAKWATER_DECORATOR_MODE === 'legacy' ? it.skip : it;
    once(
      'never turns a late rejection after a timeout into an unhandledRejection (plain process, with a control)',
      () => {
        const script = `
        const { compose } = require('./lib/functional/compose.ts');
        const { timeout } = require('./lib/functional/timeout.ts');
        const { bulkhead } = require('./lib/functional/bulkhead.ts');
        const seen = [];
        process.on('unhandledRejection', (e) => seen.push(e.message));
        const policy = compose(timeout(1), bulkhead(2));
        const late = () => new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 20));
        Promise.allSettled([policy.execute(late), policy.execute((signal) => late())]).then((results) => {
          const timedOut = results.filter((r) => r.status === 'rejected' && r.reason.code === 'ERR_TIMEOUT').length;
          setTimeout(() => {
            Promise.reject(new Error('control'));
            setTimeout(() => process.stdout.write(JSON.stringify({ timedOut, seen })), 20);
          }, 40);
        });`;
        const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
          cwd: resolve(__dirname, '../..'),
          env: { ...process.env, TS_NODE_PROJECT: 'examples/tsconfig.json' },
          encoding: 'utf8',
        });
        expect(JSON.parse(out)).toEqual({ timedOut: 2, seen: ['control'] });
      },
    );
  });

  it('removes a queued waiter when the caller aborts, and the rejection carries the reason', async () => {
    const hold = deferred();
    class Q {
      @Bulkhead({ maxConcurrent: 1, maxQueue: 1 })
      async go(_signal?: AbortSignal): Promise<void> {
        await hold.promise;
      }
    }
    const q = new Q();
    const first = q.go();
    const controller = new AbortController();
    const waiting = track(q.go(controller.signal));
    await flushMicrotasks();
    const full = track(q.go());
    await flushMicrotasks();
    expect(isBulkheadFullError(full.value)).toBe(true);
    controller.abort('stop');
    await flushMicrotasks();
    expect(waiting).toEqual({ state: 'rejected', value: 'stop' });
    expect(getBulkhead('Q.go')?.queued).toBe(0);
    hold.resolve();
    await first;
  });
});
