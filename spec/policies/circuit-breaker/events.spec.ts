import { config as rxConfig, type Subscription } from 'rxjs';
import { ManualClock } from '../../../lib/clock/manual-clock';
import { events$, stateChanges$ } from '../../../lib/events/streams';
import type { ResilienceEvent } from '../../../lib/events/types';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker';

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
});
