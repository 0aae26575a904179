import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { isTimeoutError, TimeoutError } from '../../../lib/errors/timeout-error.js';
import { events$ } from '../../../lib/events/streams.js';
import type { ResilienceEvent } from '../../../lib/events/types.js';
import { timeout } from '../../../lib/functional/timeout.js';
import { deferred, flushMicrotasks, getEventListeners, track } from '../bulkhead/test-kit.js';

describe('TimeoutPolicy', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('rejects with TimeoutError at once when the duration passes, aborting the signal with it', async () => {
    const seen: ResilienceEvent[] = [];
    const sub = events$.subscribe((e) => seen.push(e));
    let signal: AbortSignal | undefined;
    const result = track(
      timeout(100).execute((s) => {
        signal = s;
        return new Promise(() => undefined); // never settles
      }),
    );
    await jest.advanceTimersByTimeAsync(99);
    expect(result.state).toBe('pending');
    expect(signal?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(result.state).toBe('rejected');
    const error = result.value as TimeoutError;
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ duration: 100, policyName: 'timeout', code: 'ERR_TIMEOUT' });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
    expect(seen).toEqual([
      expect.objectContaining({ type: 'timeout', policy: 'timeout', name: 'timeout', duration: 100 }),
    ]);
    expect(jest.getTimerCount()).toBe(0);
    sub.unsubscribe();
  });

  it('passes a value or the same error through, clears its timer, and aborts nothing', async () => {
    let signal: AbortSignal | undefined;
    const value = { ok: true };
    await expect(
      timeout(1_000).execute(async (s) => {
        signal = s;
        return value;
      }),
    ).resolves.toBe(value);
    expect(jest.getTimerCount()).toBe(0);
    expect(signal?.aborted).toBe(false);
    const boom = new Error('boom');
    await expect(timeout(1_000).execute(() => Promise.reject(boom))).rejects.toBe(boom);
    await expect(
      timeout(1_000).execute((): Promise<void> => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with the caller reason when the caller aborts first, and clears its timer at once', async () => {
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const result = track(
      timeout(1_000).execute((s) => {
        signal = s;
        return new Promise(() => undefined);
      }, controller.signal),
    );
    await flushMicrotasks();
    expect(signal).not.toBe(controller.signal); // the combined signal, not the caller's
    const reason = new Error('caller');
    controller.abort(reason);
    await flushMicrotasks();
    expect(result).toEqual({ state: 'rejected', value: reason });
    expect(signal?.reason).toBe(reason);
    expect(jest.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('uses an injected clock instead of the global timers', async () => {
    const clock = new ManualClock();
    const work = deferred<string>();
    const result = track(timeout({ duration: 50, clock }).execute(() => work.promise));
    expect([clock.pendingTimers, jest.getTimerCount()]).toEqual([1, 0]);
    clock.advance(50);
    await flushMicrotasks();
    expect(isTimeoutError(result.value)).toBe(true);
    work.resolve('late');
    await flushMicrotasks();
    expect(result.state).toBe('rejected');
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not create a signal for work that takes no parameter', async () => {
    const fn = jest.fn(async () => 'x');
    await timeout(10).execute(fn);
    expect(fn).toHaveBeenCalledWith();
  });
});
