import { ManualClock } from '../../../lib/clock/manual-clock';
import { isCircuitOpenError } from '../../../lib/errors/circuit-open-error';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker';
import { TimeWindow } from '../../../lib/policies/circuit-breaker/windows/time-window';
import { deferred, flush, type Deferred } from './fixtures/helpers';

// One spec per bullet of pitfalls.md, "Circuit breaker" (and the timer bullet of "Events, timers, memory").
const boom = (): Promise<never> => Promise.reject(new Error('boom'));
const ok = (): Promise<string> => Promise.resolve('ok');

describe('circuit breaker pitfalls', () => {
  describe('under jest fake timers, with no extra setup', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('half-open stampede: 100 concurrent calls at the reset instant admit only halfOpenMaxCalls probes', async () => {
      const breaker = circuitBreaker({
        name: 'stampede',
        failureThreshold: 1,
        resetTimeout: 1000,
        halfOpenMaxCalls: 2,
      });
      await breaker.execute(boom).catch(() => undefined);
      jest.advanceTimersByTime(1000);
      const probes: Array<Deferred<string>> = [];
      const work = jest.fn(() => {
        const d = deferred<string>();
        probes.push(d);
        return d.promise;
      });
      const calls = Array.from({ length: 100 }, () =>
        breaker.execute(work).then(
          () => 'passed',
          (e: unknown) => (isCircuitOpenError(e) ? 'rejected' : 'other'),
        ),
      );
      expect(work).toHaveBeenCalledTimes(2);
      for (const p of probes) p.resolve('ok');
      const outcomes = await Promise.all(calls);
      expect(outcomes.filter((o) => o === 'passed')).toHaveLength(2);
      expect(outcomes.filter((o) => o === 'rejected')).toHaveLength(98);
      expect(breaker.state).toBe('closed');
    });

    it('no background timer: a tripped breaker leaves nothing scheduled', async () => {
      const breaker = circuitBreaker({
        name: 'no-timers',
        failureThreshold: 1,
        resetTimeout: 30_000,
        halfOpenMaxWait: 5000,
      });
      await breaker.execute(boom).catch(() => undefined);
      expect(breaker.state).toBe('open');
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  it('stale outcomes: calls admitted while closed neither count as probes, nor close, nor open twice', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({
      name: 'stale',
      clock,
      failureThreshold: 1,
      resetTimeout: 100,
      successThreshold: 1,
    });
    const opened: string[] = [];
    const sub = breaker.stateChanges$.subscribe((c) => opened.push(`${c.from}->${c.to}`));
    try {
      const slowSuccess = deferred<string>();
      const slowFailure = deferred<string>();
      const a = breaker.execute(() => slowSuccess.promise);
      const b = breaker.execute(() => slowFailure.promise);
      await breaker.execute(boom).catch(() => undefined); // opens
      slowFailure.reject(new Error('late failure')); // admitted while closed: must not open again
      await b.catch(() => undefined);
      clock.advance(100);
      const probe = deferred<string>();
      const p = breaker.execute(() => probe.promise); // half-open, the only probe slot taken
      slowSuccess.resolve('late success'); // must not close the circuit nor free the probe slot
      await a;
      expect(breaker.state).toBe('half_open');
      await expect(breaker.execute(ok)).rejects.toMatchObject({ code: 'ERR_CIRCUIT_OPEN' });
      probe.resolve('ok');
      await p;
      expect(opened).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
      expect(breaker.snapshot().metrics).toMatchObject({ ignoredCalls: 2, failedCalls: 1, successfulCalls: 1 });
    } finally {
      sub.unsubscribe();
    }
  });

  it('stuck half-open: a probe that never settles is ended by halfOpenMaxWait', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({
      name: 'stuck',
      clock,
      failureThreshold: 1,
      resetTimeout: 100,
      halfOpenMaxWait: 1000,
    });
    await breaker.execute(boom).catch(() => undefined);
    clock.advance(100);
    const never = deferred<string>();
    void breaker.execute(() => never.promise).catch(() => undefined); // the probe hangs
    clock.advance(999);
    await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: 1 });
    clock.advance(1);
    await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: 100 }); // re-opened
    expect(breaker.state).toBe('open');
    clock.advance(100);
    await expect(breaker.execute(ok)).resolves.toBe('ok'); // a new probe is admitted
    never.resolve('finally'); // the old probe's outcome is stale now
    await flush();
    expect(breaker.snapshot().metrics.ignoredCalls).toBe(1);
  });

  it('concurrent failures past the threshold open once and do not push the reset back', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ name: 'concurrent', clock, failureThreshold: 2, resetTimeout: 1000 });
    const transitions: string[] = [];
    const sub = breaker.stateChanges$.subscribe((c) => transitions.push(c.to));
    try {
      const inFlight = Array.from({ length: 10 }, () => deferred<string>());
      const calls = inFlight.map((d) => breaker.execute(() => d.promise).catch(() => undefined));
      inFlight[0]!.reject(new Error('1'));
      inFlight[1]!.reject(new Error('2'));
      await flush();
      clock.advance(500);
      for (const d of inFlight.slice(2)) d.reject(new Error('more'));
      await Promise.all(calls);
      expect(transitions).toEqual(['open']);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: 500 });
    } finally {
      sub.unsubscribe();
    }
  });

  it('windows: counts stay exact across bucket reuse, including the call that rolls a bucket', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({
      name: 'window-reuse',
      clock,
      failureRateThreshold: 1,
      minimumCalls: 3,
      slidingWindow: { type: 'time', duration: 1000 },
    });
    await breaker.execute(ok);
    await breaker.execute(boom).catch(() => undefined);
    clock.advance(1000); // both leave the window
    await breaker.execute(boom).catch(() => undefined); // rolls, and must itself be counted
    expect(breaker.snapshot().metrics).toMatchObject({ failureRate: 1, slowCallRate: 0 });
    await breaker.execute(boom).catch(() => undefined);
    expect(breaker.state).toBe('closed'); // 2 calls < minimumCalls: the old ones are gone
    await breaker.execute(boom).catch(() => undefined);
    expect(breaker.state).toBe('open');
  });

  it('an idle year costs the next call a constant amount of work', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({
      name: 'idle-year',
      clock,
      failureRateThreshold: 0.5,
      slidingWindow: { type: 'time', duration: 60_000 },
    });
    await breaker.execute(ok);
    const clearSlot = jest.spyOn(TimeWindow.prototype as unknown as { clearSlot(slot: number): void }, 'clearSlot');
    try {
      clock.advance(365 * 24 * 3600 * 1000);
      await breaker.execute(ok);
      expect(clearSlot.mock.calls.length).toBeLessThanOrEqual(20);
      expect(breaker.snapshot().metrics.failureRate).toBe(0);
    } finally {
      clearSlot.mockRestore();
    }
  });

  it('a wall-clock jump changes no duration', async () => {
    const clock = new ManualClock({ now: Date.UTC(2030, 0, 1) });
    const breaker = circuitBreaker({
      name: 'wall-jump',
      clock,
      failureThreshold: 1,
      resetTimeout: 1000,
      slowCallDuration: 500,
    });
    const d = deferred<string>();
    const p = breaker.execute(() => d.promise);
    clock.jumpWallClock(3_600_000); // NTP moves the wall clock an hour ahead mid-call
    d.resolve('ok');
    await p;
    expect(breaker.snapshot().metrics.slowCalls).toBe(0);
    await breaker.execute(boom).catch(() => undefined);
    clock.jumpWallClock(-86_400_000); // and a day back
    await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: 1000 });
    clock.jumpWallClock(86_400_000 * 2);
    await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: 1000 });
  });
});
