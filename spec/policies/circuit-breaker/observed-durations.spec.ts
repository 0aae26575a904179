import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { events$ } from '../../../lib/events/streams.js';
import type { ResilienceEvent } from '../../../lib/events/types.js';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker.js';
import { deferred, flushMicrotasks } from '../../support/async.js';

// What exporters read from a breaker: the duration of every admitted call's event (ignored ones
// too, for Resilience4j's `calls_seconds{kind="ignored"}`), and the slow calls in the window split
// into successes and failures (its `slow_calls{kind}`).

describe('circuit breaker events and window for exporters', () => {
  it('gives an ignored call its duration', async () => {
    const events: ResilienceEvent[] = [];
    const sub = events$.subscribe((e) => events.push(e));
    try {
      const clock = new ManualClock();
      const breaker = circuitBreaker({ clock, failurePredicate: (e) => !(e instanceof TypeError) });
      const work = deferred<never>();
      const call = breaker.execute(() => work.promise).catch((e: unknown) => e);
      clock.advance(42);
      const error = new TypeError('not counted');
      work.reject(error);
      await call;
      expect(events).toEqual([expect.objectContaining({ type: 'ignored', error, duration: 42 })]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('splits the slow calls of the window into successes and failures', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, slowCallDuration: 100, failureThreshold: 100 });
    const slow = async (fail: boolean): Promise<void> => {
      const work = deferred<string>();
      const call = breaker.execute(() => work.promise).catch(() => undefined);
      clock.advance(150);
      if (fail) work.reject(new Error('slow and failed'));
      else work.resolve('slow');
      await call;
      await flushMicrotasks();
    };
    await slow(false);
    await slow(true);
    await slow(true);
    await breaker.execute(async () => 'fast');
    expect(breaker.snapshot().window).toEqual({ calls: 4, failedCalls: 2, slowCalls: 3, slowFailedCalls: 2 });
  });
});
