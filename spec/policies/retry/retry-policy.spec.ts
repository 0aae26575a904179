import { getEventListeners } from 'node:events';
import { setClock, systemClock } from '../../../lib/clock/clock.js';
import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { FIRST_ATTEMPT } from '../../../lib/runtime/attempt.js';
import type { Call } from '../../../lib/runtime/call.js';
import { NEVER_ABORTED, NO_SCOPE } from '../../../lib/runtime/scope.js';
import { buildChain, runChain } from '../../../lib/runtime/chain.js';
import { CircuitOpenError } from '../../../lib/errors/circuit-open-error.js';
import { events$ } from '../../../lib/events/streams.js';
import type { ResilienceEvent } from '../../../lib/events/types.js';
import { retry } from '../../../lib/functional/retry.js';
import { resolveRetryOptions, type RetryOptions } from '../../../lib/policies/retry/options.js';
import { RetryPolicy } from '../../../lib/policies/retry/retry-policy.js';
import { deferred, flaky, flushMicrotasks, track } from './test-kit.js';

const clockFor = () => new ManualClock();
/** Advances a manual clock one step at a time, letting promise continuations run between steps. */
async function advance(clock: ManualClock, ms: number): Promise<void> {
  await flushMicrotasks();
  clock.advance(ms);
  await flushMicrotasks();
}

function recordEvents(): { events: ResilienceEvent[]; stop: () => void } {
  const events: ResilienceEvent[] = [];
  const sub = events$.subscribe((e) => events.push(e));
  return { events, stop: () => sub.unsubscribe() };
}

describe('RetryPolicy', () => {
  it('returns the first success without retrying or touching the clock', async () => {
    const clock = clockFor();
    const work = flaky(0, 'ok');
    await expect(retry({ clock }).execute(work.fn)).resolves.toBe('ok');
    expect(work.calls()).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('retries after the computed delay until an attempt succeeds', async () => {
    const clock = clockFor();
    const work = flaky(2, 'ok');
    const result = track(retry({ clock, delay: 100, jitter: 'none' }).execute(work.fn));
    await advance(clock, 0);
    expect(work.calls()).toBe(1);
    await advance(clock, 99);
    expect(work.calls()).toBe(1);
    await advance(clock, 1);
    expect(work.calls()).toBe(2);
    await advance(clock, 199);
    expect(work.calls()).toBe(2);
    await advance(clock, 1); // exponential: 100, then 200
    expect(result).toEqual({ state: 'resolved', value: 'ok' });
    expect(work.calls()).toBe(3);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rethrows the LAST error, the same object, when attempts run out', async () => {
    const clock = clockFor();
    const work = flaky(10, 'never');
    const result = track(
      retry({ clock, maxAttempts: 4, delay: 10, backoff: 'fixed', jitter: 'none' }).execute(work.fn),
    );
    for (let i = 0; i < 3; i++) await advance(clock, 10);
    expect(result.state).toBe('rejected');
    expect(result.value).toBe(work.errors[3]);
    expect(work.calls()).toBe(4);
    expect(clock.pendingTimers).toBe(0);
  });

  it('makes exactly one attempt when maxAttempts is 1', async () => {
    const work = flaky(5, 'x');
    await expect(retry({ maxAttempts: 1 }).execute(work.fn)).rejects.toBe(work.errors[0]);
    expect(work.calls()).toBe(1);
  });

  it('does not retry an error retryOn rejects, and rethrows it unchanged', async () => {
    const clock = clockFor();
    const fatal = new TypeError('fatal');
    let calls = 0;
    const fn = async () => {
      calls++;
      throw fatal;
    };
    await expect(retry({ clock, retryOn: [RangeError] }).execute(fn)).rejects.toBe(fatal);
    await expect(retry({ clock, retryOn: () => false }).execute(fn)).rejects.toBe(fatal);
    expect(calls).toBe(2);
    expect(clock.pendingTimers).toBe(0);
  });

  it("keeps the call's own error when a user callback throws (retryOn, backoff, retryOnResult)", async () => {
    const clock = new ManualClock();
    const failing = flaky(5, 'ok');
    const byPredicate = track(
      retry({
        maxAttempts: 3,
        retryOn: () => {
          throw new Error('predicate bug');
        },
        clock,
      }).execute(failing.fn),
    );
    await flushMicrotasks();
    expect(byPredicate.state).toBe('rejected');
    expect(byPredicate.value).toBe(failing.errors[0]);

    const again = flaky(1, 'ok');
    const byBackoff = track(
      retry({
        maxAttempts: 2,
        delay: 10,
        maxDelay: 50,
        jitter: 'none',
        backoff: () => {
          throw new Error('backoff bug');
        },
        clock,
      }).execute(again.fn),
    );
    await flushMicrotasks();
    expect(byBackoff.state).toBe('pending'); // sleeping maxDelay: a throwing backoff counts as NaN
    clock.advance(49);
    await flushMicrotasks();
    expect(byBackoff.state).toBe('pending');
    clock.advance(1);
    await flushMicrotasks();
    expect(byBackoff).toEqual({ state: 'resolved', value: 'ok' });

    const byResult = retry({
      maxAttempts: 3,
      retryOnResult: () => {
        throw new Error('result bug');
      },
      clock,
    });
    await expect(byResult.execute(async () => 'first')).resolves.toBe('first');
  });

  it('never retries an open-circuit rejection by default', async () => {
    const open = new CircuitOpenError('deps', 5_000);
    let calls = 0;
    await expect(retry({ delay: 0 }).execute(() => (calls++, Promise.reject(open)))).rejects.toBe(open);
    expect(calls).toBe(1);
  });

  it('turns a synchronous throw into a retried failure', async () => {
    let calls = 0;
    const result = await retry({ delay: 0, maxAttempts: 3 }).execute(() => {
      calls++;
      if (calls < 3) throw new Error('sync');
      return 'third';
    });
    expect([result, calls]).toEqual(['third', 3]);
  });

  describe('retryOnResult', () => {
    it('retries a rejected result and returns the first accepted one', async () => {
      const results = ['pending', 'pending', 'done'];
      let i = 0;
      const policy = retry({ delay: 0, maxAttempts: 5, retryOnResult: (r) => r === 'pending' });
      await expect(policy.execute(async () => results[i++])).resolves.toBe('done');
      expect(i).toBe(3);
    });

    it('returns the last rejected result when attempts run out', async () => {
      let i = 0;
      const policy = retry({ delay: 0, maxAttempts: 3, retryOnResult: () => true });
      await expect(policy.execute(async () => ({ n: ++i }))).resolves.toEqual({ n: 3 });
    });

    it('still retries errors, mixed with rejected results', async () => {
      const script: Array<() => unknown> = [
        () => {
          throw new Error('e1');
        },
        () => 'pending',
        () => 'ok',
      ];
      let i = 0;
      const policy = retry({ delay: 0, maxAttempts: 3, retryOnResult: (r) => r === 'pending' });
      await expect(policy.execute(async () => script[i++]!())).resolves.toBe('ok');
    });

    it('returns the result when the predicate itself throws (the call succeeded; the bug must not replace it)', async () => {
      const policy = retry({
        delay: 0,
        retryOnResult: () => {
          throw new Error('predicate bug');
        },
      });
      await expect(policy.execute(async () => 1)).resolves.toBe(1);
    });
  });

  describe('events', () => {
    it("emits 'retry' with the retry number, the delay and the error or the result", async () => {
      const rec = recordEvents();
      try {
        const clock = clockFor();
        const work = flaky(2, 'ok');
        const done = retry({ clock, delay: 10, jitter: 'none' }).execute(work.fn);
        await advance(clock, 10);
        await advance(clock, 20);
        await done;
        const retries = rec.events.filter((e) => e.type === 'retry');
        expect(retries).toEqual([
          { type: 'retry', at: 0, policy: 'retry', name: 'retry', attempt: 1, delay: 10, error: work.errors[0] },
          { type: 'retry', at: 10, policy: 'retry', name: 'retry', attempt: 2, delay: 20, error: work.errors[1] },
        ]);
        let n = 0;
        await retry({ delay: 0, maxAttempts: 2, retryOnResult: (r) => r === 0 }).execute(async () => n++);
        const lastRetry = rec.events.filter((e) => e.type === 'retry').at(-1);
        expect(lastRetry).toMatchObject({ type: 'retry', attempt: 1, delay: 0, result: 0 });
        expect(lastRetry).not.toHaveProperty('error');
      } finally {
        rec.stop();
      }
    });
  });

  describe("'retry_exhausted' (the give-up event)", () => {
    const exhausted = (events: ResilienceEvent[]): ResilienceEvent[] =>
      events.filter((e) => e.type === 'retry_exhausted');

    it('is emitted once, when attempts run out on an error, with the attempts made and that last error', async () => {
      const rec = recordEvents();
      try {
        const clock = clockFor();
        const work = flaky(10, 'never');
        const result = track(retry({ clock, delay: 10, jitter: 'none', maxAttempts: 3 }).execute(work.fn));
        await advance(clock, 10);
        await advance(clock, 20);
        expect(result).toEqual({ state: 'rejected', value: work.errors[2] });
        expect(exhausted(rec.events)).toEqual([
          {
            type: 'retry_exhausted',
            at: 30,
            policy: 'retry',
            name: 'retry',
            attempts: 3,
            outcome: 'error',
            error: work.errors[2],
          },
        ]);
        // It comes after the last 'retry', before the call settles (and so before its 'retry_outcome').
        expect(rec.events.map((e) => e.type)).toEqual(['retry', 'retry', 'retry_exhausted', 'retry_outcome']);
      } finally {
        rec.stop();
      }
    });

    it('carries the last result when attempts run out on results retryOnResult rejected', async () => {
      const rec = recordEvents();
      try {
        let n = 0;
        const value = await retry({ delay: 0, maxAttempts: 2, retryOnResult: () => true }).execute(async () => ++n);
        expect(value).toBe(2);
        expect(exhausted(rec.events)).toEqual([expect.objectContaining({ attempts: 2, outcome: 'result', result: 2 })]);
        expect(exhausted(rec.events)[0]).not.toHaveProperty('error');
      } finally {
        rec.stop();
      }
    });

    it('with maxAttempts 1: emitted for an outcome that would have been retried, not for others', async () => {
      const rec = recordEvents();
      try {
        const boom = new Error('boom');
        await expect(retry({ maxAttempts: 1 }).execute(() => Promise.reject(boom))).rejects.toBe(boom);
        await expect(retry({ maxAttempts: 1 }).execute(async () => 'fine')).resolves.toBe('fine');
        await expect(retry({ maxAttempts: 1, retryOn: [TypeError] }).execute(() => Promise.reject(boom))).rejects.toBe(
          boom,
        );
        await expect(retry({ maxAttempts: 1, retryOnResult: (r) => r === 0 }).execute(async () => 0)).resolves.toBe(0);
        expect(exhausted(rec.events)).toEqual([
          expect.objectContaining({ attempts: 1, outcome: 'error', error: boom }),
          expect.objectContaining({ attempts: 1, outcome: 'result', result: 0 }),
        ]);
      } finally {
        rec.stop();
      }
    });

    it('is not emitted when retrying stops for another reason: success, retryOn, an abort, an outer breaker', async () => {
      const rec = recordEvents();
      try {
        const clock = clockFor();
        await retry({ delay: 0 }).execute(flaky(1, 'ok').fn);
        const typeError = new TypeError('not retried');
        await expect(retry({ retryOn: [RangeError] }).execute(() => Promise.reject(typeError))).rejects.toBe(typeError);
        const controller = new AbortController();
        const aborted = track(retry({ clock, delay: 100 }).execute(flaky(10, 'x').fn, controller.signal));
        await flushMicrotasks();
        controller.abort(new Error('caller gave up'));
        await flushMicrotasks();
        expect(aborted.state).toBe('rejected');
        const executor = new RetryPolicy(resolveRetryOptions('t', { delay: 0, maxAttempts: 5 }), 't');
        const chain = buildChain([
          { kind: 'circuitBreaker', run: (call, next) => next({ ...call, abandoned: () => true }) },
          executor,
        ]);
        await expect(runChain(chain, undefined, [], flaky(10, 'x').fn, 'function', undefined)).rejects.toThrow();
        expect(exhausted(rec.events)).toEqual([]);
      } finally {
        rec.stop();
      }
    });

    it('with maxAttempts 1 and nobody listening, hands back the attempt itself: no extra promise', async () => {
      const executor = new RetryPolicy(resolveRetryOptions('t', { maxAttempts: 1 }), 't');
      const call = {
        scope: NO_SCOPE,
        thisArg: undefined,
        args: [],
        target: () => undefined,
        mode: 'function',
        signalArg: false,
        abandoned: undefined,
        context: FIRST_ATTEMPT,
      } as Call;
      const attempt = Promise.resolve(1);
      expect(executor.run(call, () => attempt)).toBe(attempt);
      const rec = recordEvents();
      try {
        const watched = executor.run(call, () => attempt);
        expect(watched).not.toBe(attempt);
        await expect(watched).resolves.toBe(1);
      } finally {
        rec.stop();
      }
    });
  });

  describe('the attempt, for the work', () => {
    it('hands fn its attempt number: 1, then 2, 3… for each retry', async () => {
      const attempts: number[] = [];
      let n = 0;
      const value = await retry({ delay: 0, maxAttempts: 4 }).execute(async (_signal, { attempt }) => {
        attempts.push(attempt);
        if (++n < 3) throw new Error(`failure ${n}`);
        return attempt;
      });
      expect(value).toBe(3);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('matches the retry event: attempt N fails, event attempt N, then fn sees N + 1', async () => {
      const rec = recordEvents();
      try {
        const seen: number[] = [];
        await retry({ delay: 0, maxAttempts: 2 })
          .execute(async (_signal, context) => {
            seen.push(context.attempt);
            throw new Error('down');
          })
          .catch(() => undefined);
        const retryEvent = rec.events.find((e) => e.type === 'retry');
        expect(retryEvent).toMatchObject({ attempt: 1 });
        expect(seen).toEqual([1, 2]);
      } finally {
        rec.stop();
      }
    });

    it('shares one frozen context for every first attempt (no allocation on calls that are not retried)', async () => {
      const contexts: unknown[] = [];
      const record = async (_signal: AbortSignal, context: unknown): Promise<void> => void contexts.push(context);
      await retry({ delay: 0 }).execute(record);
      await retry({ delay: 0 }).execute(record);
      expect(contexts[0]).toBe(contexts[1]);
      expect(contexts[0]).toBe(FIRST_ATTEMPT);
      expect(Object.isFrozen(FIRST_ATTEMPT)).toBe(true);
    });
  });

  describe('jitter and randomness', () => {
    it('draws from the injected random source', async () => {
      const clock = clockFor();
      const work = flaky(1, 'ok');
      const result = track(retry({ clock, delay: 1000, jitter: 'full', random: () => 0.25 }).execute(work.fn));
      await advance(clock, 249);
      expect(work.calls()).toBe(1);
      await advance(clock, 1);
      expect(result.value).toBe('ok');
    });
  });

  describe('cancellation', () => {
    it('stops at once when the caller aborts during the sleep: no timer, no listener, no further attempt (Polly #2375)', async () => {
      const clock = clockFor();
      const controller = new AbortController();
      const work = flaky(10, 'never');
      const result = track(
        retry({ clock, delay: 1000, jitter: 'none', maxAttempts: 5 }).execute(work.fn, controller.signal),
      );
      await flushMicrotasks();
      expect(clock.pendingTimers).toBe(1);
      expect(getEventListeners(controller.signal, 'abort').length).toBeGreaterThan(0);
      const reason = new Error('user left');
      controller.abort(reason);
      await flushMicrotasks();
      expect(result).toEqual({ state: 'rejected', value: reason });
      expect(clock.pendingTimers).toBe(0);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await advance(clock, 100_000);
      expect(work.calls()).toBe(1);
    });

    it('never retries a failure that happened after the caller aborted', async () => {
      const controller = new AbortController();
      const gate = deferred<string>();
      let calls = 0;
      const result = track(retry({ delay: 0 }).execute(() => (calls++, gate.promise), controller.signal));
      controller.abort();
      gate.reject(new Error('aborted underneath'));
      await flushMicrotasks();
      expect(result.state).toBe('rejected');
      expect(calls).toBe(1);
    });

    it('rejects with the scope reason and starts no timer when the scope is already aborted after a failure (delay 0)', async () => {
      const aborted = {
        aborted: true,
        reason: new Error('gone'),
        cancellable: true,
        signal: () => NEVER_ABORTED,
        onAbort: () => () => undefined,
      };
      const first = new Error('first');
      const executor = new RetryPolicy(resolveRetryOptions('t', { delay: 0 }), 't');
      let calls = 0;
      const next = () => (calls++, Promise.reject(first));
      const call = {
        scope: aborted,
        thisArg: undefined,
        args: [],
        target: () => undefined,
        mode: 'function',
        signalArg: false,
        abandoned: undefined,
        context: FIRST_ATTEMPT,
      } as Call;
      await expect(executor.run(call, next)).rejects.toBe(first);
      expect(calls).toBe(1);
    });
  });

  describe('abandoned (an outer breaker opened)', () => {
    function runWith(options: RetryOptions, abandoned: () => boolean, next: () => Promise<unknown>): Promise<unknown> {
      const executor = new RetryPolicy(resolveRetryOptions('t', options), 't');
      const chain = buildChain([
        { kind: 'circuitBreaker', run: (call, next) => next({ ...call, abandoned }) },
        executor,
      ]);
      return runChain(chain, undefined, [], next, 'function', undefined);
    }

    it('makes no further attempt once abandoned, rethrowing the last error when the sleep ends', async () => {
      const clock = clockFor();
      let open = false;
      const work = flaky(10, 'never');
      const result = track(runWith({ clock, delay: 100, jitter: 'none', maxAttempts: 5 }, () => open, work.fn));
      await flushMicrotasks();
      open = true; // the breaker opens while we sleep
      await advance(clock, 100);
      expect(result).toEqual({ state: 'rejected', value: work.errors[0] });
      expect(work.calls()).toBe(1);
      expect(clock.pendingTimers).toBe(0);
    });

    it('does not even sleep when already abandoned after a failure', async () => {
      const clock = clockFor();
      const work = flaky(10, 'never');
      await expect(runWith({ clock, delay: 100 }, () => true, work.fn)).rejects.toBe(work.errors[0]);
      expect(clock.pendingTimers).toBe(0);
    });

    it('returns the last rejected result when abandoned', async () => {
      let open = false;
      let n = 0;
      const result = runWith(
        { delay: 0, maxAttempts: 5, retryOnResult: () => true },
        () => open,
        async () => {
          n++;
          open = n === 2;
          return n;
        },
      );
      await expect(result).resolves.toBe(2);
    });
  });

  it('works under jest fake timers with no setup, and leaves no timer behind', async () => {
    jest.useFakeTimers();
    try {
      const work = flaky(2, 'ok');
      const result = track(retry({ delay: 100, jitter: 'none' }).execute(work.fn));
      await jest.advanceTimersByTimeAsync(299);
      expect(result.state).toBe('pending');
      await jest.advanceTimersByTimeAsync(1);
      expect(result).toEqual({ state: 'resolved', value: 'ok' });
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads the global clock at each sleep, not at creation', async () => {
    const policy = retry({ delay: 50, jitter: 'none' });
    const clock = clockFor();
    setClock(clock);
    try {
      const work = flaky(1, 'ok');
      const result = track(policy.execute(work.fn));
      await flushMicrotasks();
      expect(clock.pendingTimers).toBe(1);
      await advance(clock, 50);
      expect(result.value).toBe('ok');
    } finally {
      setClock(systemClock);
    }
  });
});
