import { bulkhead, circuitBreaker, getCircuitBreaker, ManualClock } from '../../../lib/index';
import {
  breakerView,
  bulkheadChanged,
  bulkheadView,
  ChangeRing,
  changeView,
} from '../../../lib/integrations/dashboard/views';

const fail = (): Promise<never> => Promise.reject(new Error('down'));

describe('dashboard views', () => {
  it('shows a breaker with its rates, window, totals and the thresholds it is judged by', async () => {
    const clock = new ManualClock({ now: 1_000_000 });
    const breaker = circuitBreaker({
      name: 'views-rates',
      failureRateThreshold: 0.5,
      slowCallRateThreshold: 0.8,
      slowCallDuration: 100,
      minimumCalls: 4,
      resetTimeout: 30_000,
      clock,
    });
    await breaker.execute(async () => 'ok');
    await breaker.execute(fail).catch(() => undefined);
    expect(breakerView(breaker)).toEqual({
      name: 'views-rates',
      state: 'closed',
      openedAt: null,
      retryAfter: null,
      failureRate: 0.5,
      slowCallRate: 0,
      consecutiveFailures: 1,
      window: { calls: 2, failedCalls: 1, slowCalls: 0 },
      totals: { calls: 2, successful: 1, failed: 1, rejected: 0, ignored: 0 },
      settings: {
        failureThreshold: null,
        failureWindow: null,
        failureRateThreshold: 0.5,
        slowCallRateThreshold: 0.8,
        slowCallDuration: 100,
        minimumCalls: 4,
        resetTimeout: 30_000,
      },
    });
  });

  it('gives an open breaker its opening time and whole milliseconds until a probe', async () => {
    const clock = new ManualClock({ now: 5_000 });
    const breaker = circuitBreaker({ name: 'views-open', failureThreshold: 1, resetTimeout: 10_000, clock });
    await breaker.execute(fail).catch(() => undefined);
    clock.advance(2_500.4);
    const view = breakerView(breaker);
    expect(view).toMatchObject({ state: 'open', openedAt: 5_000, retryAfter: 7_500 });
    expect(view.settings).toMatchObject({ failureThreshold: 1, failureRateThreshold: null });
    clock.advance(20_000);
    expect(breakerView(breaker).retryAfter).toBe(0);
  });

  it('sends a forced-open breaker with no countdown (Infinity has no JSON form) and a backoff function as null', () => {
    const breaker = circuitBreaker({ name: 'views-forced', resetTimeout: (opens) => 1_000 * opens });
    breaker.forceOpen();
    const view = breakerView(getCircuitBreaker('views-forced')!);
    expect(view).toMatchObject({ state: 'forced_open', retryAfter: null });
    expect(view.settings.resetTimeout).toBeNull();
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('shows a bulkhead and tells when its use moved', () => {
    const pool = bulkhead({ name: 'views-pool', maxConcurrent: 3, maxQueue: 2 });
    const view = bulkheadView(pool.snapshot());
    expect(view).toEqual({ name: 'views-pool', maxConcurrent: 3, maxQueue: 2, active: 0, queued: 0 });
    expect(bulkheadChanged(undefined, view)).toBe(true);
    expect(bulkheadChanged(view, { ...view })).toBe(false);
    expect(bulkheadChanged(view, { ...view, active: 1 })).toBe(true);
    expect(bulkheadChanged(view, { ...view, queued: 1 })).toBe(true);
  });

  it('keeps the newest state changes, bounded, oldest first', () => {
    const ring = new ChangeRing(3);
    for (let i = 1; i <= 5; i++)
      ring.push(changeView({ name: `b${i}`, from: 'closed', to: 'open', at: i, reason: 'reset' }));
    expect(ring.list().map((c) => c.name)).toEqual(['b3', 'b4', 'b5']);
    const none = new ChangeRing(0);
    none.push(changeView({ name: 'x', from: 'closed', to: 'open', at: 1, reason: 'reset' }));
    expect(none.list()).toEqual([]);
  });
});
