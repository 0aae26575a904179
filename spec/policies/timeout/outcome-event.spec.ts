import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { events$ } from '../../../lib/events/streams.js';
import type { ResilienceEvent } from '../../../lib/events/types.js';
import { timeout } from '../../../lib/functional/timeout.js';
import { deferred, flushMicrotasks, track } from '../../support/async.js';

// `timeout_outcome`: every attempt under a timeout publishes exactly one of `timeout` (deadline)
// or `timeout_outcome` (settled in time, or aborted by the caller), and only while someone listens.

function recordEvents(): { events: ResilienceEvent[]; stop: () => void } {
  const events: ResilienceEvent[] = [];
  const sub = events$.subscribe((e) => events.push(e));
  return { events, stop: () => sub.unsubscribe() };
}

describe('timeout_outcome', () => {
  it('reports an attempt that resolved in time, with its duration', async () => {
    const rec = recordEvents();
    try {
      const clock = new ManualClock();
      const work = deferred<string>();
      const result = track(timeout({ duration: 1_000, clock }).execute(() => work.promise));
      clock.advance(250);
      work.resolve('ok');
      await flushMicrotasks();
      expect(result).toEqual({ state: 'resolved', value: 'ok' });
      expect(rec.events).toEqual([
        {
          type: 'timeout_outcome',
          at: 250,
          policy: 'timeout',
          name: 'timeout',
          outcome: 'success',
          duration: 250,
        },
      ]);
    } finally {
      rec.stop();
    }
  });

  it('reports an attempt that failed in time, with its error', async () => {
    const rec = recordEvents();
    try {
      const error = new Error('down');
      await expect(timeout(1_000).execute(() => Promise.reject(error))).rejects.toBe(error);
      expect(rec.events).toEqual([expect.objectContaining({ type: 'timeout_outcome', outcome: 'failure', error })]);
    } finally {
      rec.stop();
    }
  });

  it('reports only `timeout` for an attempt past its deadline, even when the work settles later', async () => {
    const rec = recordEvents();
    try {
      const clock = new ManualClock();
      const work = deferred<string>();
      const result = track(timeout({ duration: 100, clock }).execute(() => work.promise));
      clock.advance(100);
      await flushMicrotasks();
      work.resolve('late');
      await flushMicrotasks();
      expect(result.state).toBe('rejected');
      expect(rec.events.map((e) => e.type)).toEqual(['timeout']);
    } finally {
      rec.stop();
    }
  });

  it("reports a caller's abort as a failure with the abort reason, once", async () => {
    const rec = recordEvents();
    try {
      const clock = new ManualClock();
      const controller = new AbortController();
      const work = deferred<string>();
      const result = track(timeout({ duration: 100, clock }).execute(() => work.promise, controller.signal));
      const reason = new Error('user left');
      controller.abort(reason);
      await flushMicrotasks();
      work.resolve('late');
      clock.advance(1_000);
      await flushMicrotasks();
      expect(result).toEqual({ state: 'rejected', value: reason });
      expect(rec.events).toEqual([
        expect.objectContaining({ type: 'timeout_outcome', outcome: 'failure', error: reason }),
      ]);
    } finally {
      rec.stop();
    }
  });

  it('does not read the clock for durations while nobody listens', async () => {
    const clock = new ManualClock();
    const reads = jest.spyOn(clock, 'monotonic');
    await timeout({ duration: 100, clock }).execute(async () => 'ok');
    expect(reads).not.toHaveBeenCalled();
  });
});
