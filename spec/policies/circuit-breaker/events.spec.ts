import { config as rxConfig, type Subscription } from 'rxjs';
import { ManualClock } from '../../../lib/clock/manual-clock';
import { CircuitBreaker } from '../../../lib/decorators/circuit-breaker';
import { events$, globalStateChanges, stateChanges$ } from '../../../lib/events/streams';
import type { ResilienceEvent } from '../../../lib/events/types';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker';
import type { CircuitBreakerOptions } from '../../../lib/policies/circuit-breaker/options';
import { getCircuitBreaker } from '../../../lib/policies/circuit-breaker/registry';
import { flushMacrotask } from '../../support/async';

const boom = (): Promise<never> => Promise.reject(new Error('boom'));
const ok = (): Promise<string> => Promise.resolve('ok');

function describeEvent(e: ResilienceEvent): string {
  switch (e.type) {
    case 'state_change':
      return `${e.name}:${e.from}->${e.to}(${e.reason})`;
    case 'rejected':
      return `${e.name}:rejected(${e.state},${e.retryAfter})`;
    default:
      return `${e.name}:${e.type}`;
  }
}

describe('circuit breaker events', () => {
  const subscriptions: Subscription[] = [];
  afterEach(() => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
  });

  it('publishes the exact sequence, once per real transition, locally and globally', async () => {
    const clock = new ManualClock({ now: 5_000 });
    const breaker = circuitBreaker({
      name: 'events-seq',
      clock,
      failureThreshold: 2,
      resetTimeout: 100,
      successThreshold: 2,
    });
    const local: string[] = [];
    const global: string[] = [];
    const changes: unknown[] = [];
    subscriptions.push(
      breaker.events$.subscribe((e) => local.push(describeEvent(e))),
      events$.subscribe((e) => global.push(describeEvent(e))),
      breaker.stateChanges$.subscribe((c) => changes.push(c)),
    );
    await breaker.execute(ok);
    await breaker.execute(boom).catch(() => undefined);
    await breaker.execute(boom).catch(() => undefined);
    await breaker.execute(ok).catch(() => undefined);
    clock.advance(100);
    await breaker.execute(ok);
    await breaker.execute(ok);
    const expected = [
      'events-seq:success',
      'events-seq:failure',
      'events-seq:failure',
      'events-seq:closed->open(failure_threshold)',
      'events-seq:rejected(open,100)',
      'events-seq:open->half_open(reset_timeout)',
      'events-seq:success',
      'events-seq:success',
      'events-seq:half_open->closed(probe_succeeded)',
    ];
    expect(local).toEqual(expected);
    expect(global).toEqual(expected);
    expect(changes).toEqual([
      { name: 'events-seq', from: 'closed', to: 'open', at: 5_000, reason: 'failure_threshold' },
      { name: 'events-seq', from: 'open', to: 'half_open', at: 5_100, reason: 'reset_timeout' },
      { name: 'events-seq', from: 'half_open', to: 'closed', at: 5_100, reason: 'probe_succeeded' },
    ]);
  });

  it('carries durations, errors and the policy kind', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ name: 'events-fields', clock });
    const seen: ResilienceEvent[] = [];
    subscriptions.push(breaker.events$.subscribe((e) => seen.push(e)));
    const error = new Error('boom');
    await breaker
      .execute(() => {
        clock.advance(42);
        return Promise.reject(error);
      })
      .catch(() => undefined);
    expect(seen).toEqual([
      { type: 'failure', at: 42, policy: 'circuitBreaker', name: 'events-fields', duration: 42, error },
    ]);
  });

  it('keeps every subscriber in order when one re-enters the breaker synchronously', async () => {
    const breaker = circuitBreaker({ name: 'events-reentrant', failureThreshold: 1 });
    const first: string[] = [];
    const last: string[] = [];
    subscriptions.push(
      breaker.stateChanges$.subscribe((c) => {
        first.push(`${c.from}->${c.to}`);
        if (c.to === 'open') breaker.reset(); // re-enters while the opening is being delivered
      }),
      events$.subscribe((e) => {
        if (e.name === 'events-reentrant') last.push(describeEvent(e));
      }),
      stateChanges$.subscribe((c) => {
        if (c.name === 'events-reentrant') last.push(`global ${c.from}->${c.to}`);
      }),
    );
    await breaker.execute(boom).catch(() => undefined);
    expect(breaker.state).toBe('closed');
    expect(first).toEqual(['closed->open', 'open->closed']);
    expect(last).toEqual([
      'events-reentrant:failure',
      'global closed->open',
      'events-reentrant:closed->open(failure_threshold)',
      'global open->closed',
      'events-reentrant:open->closed(reset)',
    ]);
  });

  it('is unaffected by a subscriber that throws: the call, the breaker and other subscribers go on', async () => {
    const reported: unknown[] = [];
    const previous = rxConfig.onUnhandledError;
    rxConfig.onUnhandledError = (err) => reported.push(err);
    try {
      const breaker = circuitBreaker({ name: 'events-throwing', failureThreshold: 1 });
      const others: string[] = [];
      const bug = new Error('subscriber bug');
      subscriptions.push(
        breaker.events$.subscribe(() => {
          throw bug;
        }),
        breaker.events$.subscribe((e) => others.push(e.type)),
      );
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      await expect(breaker.execute(boom)).rejects.toThrow('boom');
      expect(breaker.state).toBe('open');
      expect(others).toEqual(['success', 'failure', 'state_change']);
      await new Promise((resolve) => setTimeout(resolve, 10)); // RxJS reports on a timer
      expect(reported).toEqual([bug, bug, bug]);
    } finally {
      rxConfig.onUnhandledError = previous;
    }
  });

  it('builds no event when nobody listens', async () => {
    const breaker = circuitBreaker({ name: 'events-unobserved', failureThreshold: 1 });
    const clock = { now: jest.fn(() => 0), monotonic: () => 0, setTimeout: () => 0, clearTimeout: () => undefined };
    const quiet = circuitBreaker({ name: 'events-quiet', failureThreshold: 1, clock });
    await quiet.execute(ok);
    await quiet.execute(boom).catch(() => undefined);
    // The wall clock is read only for openedAt, never for an event nobody receives.
    expect(clock.now).toHaveBeenCalledTimes(1);
    expect(breaker.state).toBe('closed');
  });

  describe('a slow subscriber does not make a probe slow', () => {
    // A synchronous subscriber that takes 80 ms over the open → half_open event (the clock moves
    // inside it) used to make an instant probe measure 80 ms, count as slow and re-open the circuit.
    const options = (clock: ManualClock, name: string): CircuitBreakerOptions => ({
      name,
      clock,
      failureThreshold: 1,
      resetTimeout: 100,
      successThreshold: 1,
      slowCallDuration: 50,
      slowCallRateThreshold: 1,
    });

    async function probeBehindSlowSubscriber(
      name: string,
      clock: ManualClock,
      call: () => Promise<unknown>,
    ): Promise<{ durations: number[]; changes: string[] }> {
      const durations: number[] = [];
      const changes: string[] = [];
      subscriptions.push(
        stateChanges$.subscribe((c) => {
          if (c.name !== name) return;
          changes.push(`${c.from}->${c.to}`);
          if (c.to === 'half_open') clock.advance(80); // busy for 80 ms
        }),
        events$.subscribe((e) => {
          if (e.name === name && e.type === 'success') durations.push(e.duration);
        }),
      );
      clock.advance(100);
      await expect(call()).resolves.toBe('ok');
      return { durations, changes };
    }

    it('for a functional breaker', async () => {
      const clock = new ManualClock();
      const breaker = circuitBreaker(options(clock, 'events-slow-subscriber'));
      await breaker.execute(boom).catch(() => undefined);
      const seen = await probeBehindSlowSubscriber('events-slow-subscriber', clock, () => breaker.execute(ok));
      expect(seen.durations).toEqual([0]);
      expect(seen.changes).toEqual(['open->half_open', 'half_open->closed']);
      expect(breaker.snapshot().metrics.slowCalls).toBe(0);
    });

    it('for a decorated method, alone or with a caller signal', async () => {
      const clock = new ManualClock();
      let fail = true;
      class Probed {
        @CircuitBreaker(options(clock, 'events-slow-subscriber-dec'))
        async call(_signal?: AbortSignal): Promise<string> {
          if (fail) throw new Error('down');
          return 'ok';
        }
      }
      const client = new Probed();
      for (const withSignal of [false, true]) {
        fail = true;
        await client.call().catch(() => undefined);
        fail = false;
        const seen = await probeBehindSlowSubscriber('events-slow-subscriber-dec', clock, () =>
          withSignal ? client.call(new AbortController().signal) : client.call(),
        );
        expect(seen.durations).toEqual([0]);
        expect(seen.changes).toEqual(['open->half_open', 'half_open->closed']);
        for (const sub of subscriptions.splice(0)) sub.unsubscribe();
      }
      expect(getCircuitBreaker('events-slow-subscriber-dec')?.snapshot().metrics.slowCalls).toBe(0);
    });
  });

  describe("RxJS's useDeprecatedSynchronousErrorHandling", () => {
    let reported: unknown[];
    let previous: typeof rxConfig.onUnhandledError;
    beforeEach(() => {
      reported = [];
      previous = rxConfig.onUnhandledError;
      rxConfig.onUnhandledError = (err) => reported.push(err);
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated setting is what this spec is about
      rxConfig.useDeprecatedSynchronousErrorHandling = true;
    });
    afterEach(() => {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated setting is what this spec is about
      rxConfig.useDeprecatedSynchronousErrorHandling = false;
      rxConfig.onUnhandledError = previous;
    });

    it('lets no throwing subscriber reach the caller nor keep a probe slot', async () => {
      const clock = new ManualClock();
      const breaker = circuitBreaker({
        name: 'events-sync-errors',
        clock,
        failureThreshold: 1,
        resetTimeout: 100,
        successThreshold: 1,
      });
      const bug = new Error('subscriber bug');
      const others: string[] = [];
      subscriptions.push(
        breaker.stateChanges$.subscribe((c) => {
          if (c.to === 'half_open') throw bug;
        }),
        stateChanges$.subscribe((c) => {
          if (c.name === 'events-sync-errors') others.push(c.to);
        }),
      );
      await breaker.execute(boom).catch(() => undefined);
      clock.advance(100);
      let probe: Promise<unknown> | undefined;
      expect(() => (probe = breaker.execute(ok))).not.toThrow();
      await expect(probe).resolves.toBe('ok');
      expect(breaker.state).toBe('closed');
      expect(others).toEqual(['open', 'half_open', 'closed']);
      await flushMacrotask();
      expect(reported).toEqual([bug]);
    });

    it('keeps a decorated method from throwing synchronously, and its events$ subscribers from failing it', async () => {
      const bug = new Error('events$ subscriber bug');
      class Watched {
        @CircuitBreaker({ name: 'events-sync-errors-dec', failureThreshold: 1 })
        async call(): Promise<string> {
          return 'ok';
        }
      }
      subscriptions.push(
        events$.subscribe((e) => {
          if (e.name === 'events-sync-errors-dec') throw bug;
        }),
      );
      let result: Promise<string> | undefined;
      expect(() => (result = new Watched().call())).not.toThrow();
      await expect(result).resolves.toBe('ok');
      await flushMacrotask();
      expect(reported).toEqual([bug]);
    });
  });

  it('keeps the state and the caller safe even from a channel whose delivery throws (another copy)', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({
      name: 'events-throwing-channel',
      clock,
      failureThreshold: 1,
      resetTimeout: 100,
      successThreshold: 1,
    });
    const reported: unknown[] = [];
    const previous = rxConfig.onUnhandledError;
    rxConfig.onUnhandledError = (err) => reported.push(err);
    subscriptions.push(stateChanges$.subscribe());
    const broken = new Error('delivery failed');
    const deliver = jest.spyOn(globalStateChanges, 'deliver').mockImplementation(() => {
      throw broken;
    });
    try {
      await breaker.execute(boom).catch(() => undefined);
      clock.advance(100);
      let probe: Promise<unknown> | undefined;
      expect(() => (probe = breaker.execute(ok))).not.toThrow();
      await expect(probe).resolves.toBe('ok');
      expect(breaker.state).toBe('closed');
      await flushMacrotask();
      expect(reported).toEqual([broken, broken, broken]);
    } finally {
      deliver.mockRestore();
      rxConfig.onUnhandledError = previous;
    }
  });
});
