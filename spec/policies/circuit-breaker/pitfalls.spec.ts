import { ManualClock } from '../../../lib/clock/manual-clock';
import { CircuitBreaker } from '../../../lib/decorators/circuit-breaker';
import { isCircuitOpenError } from '../../../lib/errors/circuit-open-error';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker';
import type { CircuitBreakerOptions } from '../../../lib/policies/circuit-breaker/options';
import { getCircuitBreaker } from '../../../lib/policies/circuit-breaker/registry';
import { TimeWindow } from '../../../lib/policies/circuit-breaker/windows/time-window';
import { deferred, flushMacrotask, type Deferred } from './fixtures/helpers';

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
    await flushMacrotask();
    expect(breaker.snapshot().metrics.ignoredCalls).toBe(1);
  });

  describe('sparse traffic: halfOpenMaxWait only ends a half-open circuit with a probe outstanding', () => {
    // The issue 12 scenario: one successful call every 15 s used to read ok, CircuitOpenError, ok,
    // CircuitOpenError… forever, each re-opening with `half_open_max_wait`.
    const options = (clock: ManualClock, name: string): CircuitBreakerOptions => ({
      name,
      clock,
      failureThreshold: 1,
      resetTimeout: 1000,
      successThreshold: 2,
      halfOpenMaxWait: 10_000,
    });

    async function oneCallEvery15s(call: () => Promise<string>, clock: ManualClock): Promise<string[]> {
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) {
        clock.advance(15_000);
        seen.push(await call().catch((e: unknown) => (isCircuitOpenError(e) ? 'CircuitOpenError' : 'other')));
      }
      return seen;
    }

    it('closes a functional breaker after successThreshold sparse probes', async () => {
      const clock = new ManualClock();
      const breaker = circuitBreaker(options(clock, 'sparse-functional'));
      const changes: string[] = [];
      const sub = breaker.stateChanges$.subscribe((c) => changes.push(`${c.from}->${c.to}(${c.reason})`));
      try {
        await breaker.execute(boom).catch(() => undefined);
        expect(await oneCallEvery15s(() => breaker.execute(ok), clock)).toEqual(['ok', 'ok', 'ok', 'ok']);
        expect(breaker.state).toBe('closed');
        expect(changes).toEqual([
          'closed->open(failure_threshold)',
          'open->half_open(reset_timeout)',
          'half_open->closed(probe_succeeded)',
        ]);
      } finally {
        sub.unsubscribe();
      }
    });

    it('closes a decorated method the same way', async () => {
      const clock = new ManualClock();
      let fail = true;
      class Sparse {
        @CircuitBreaker(options(clock, 'sparse-decorated'))
        async call(): Promise<string> {
          if (fail) throw new Error('down');
          return 'ok';
        }
      }
      const client = new Sparse();
      await client.call().catch(() => undefined);
      fail = false;
      expect(await oneCallEvery15s(() => client.call(), clock)).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(getCircuitBreaker('sparse-decorated')?.state).toBe('closed');
    });

    it('counts the wait from the latest settlement while another probe is still out', async () => {
      const clock = new ManualClock();
      const breaker = circuitBreaker({
        ...options(clock, 'sparse-two-probes'),
        halfOpenMaxCalls: 2,
        successThreshold: 3,
      });
      await breaker.execute(boom).catch(() => undefined);
      clock.advance(1000);
      const slow = deferred<string>();
      const first = breaker.execute(() => slow.promise); // outstanding from t = 1000
      clock.advance(6000);
      await breaker.execute(ok); // settles at t = 7000: the dependency answers
      const second = deferred<string>();
      const other = breaker.execute(() => second.promise);
      clock.advance(9999); // nothing settled for 9999 ms, two probes out, both slots taken
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: 1 });
      clock.advance(1);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: 1000 });
      expect(breaker.state).toBe('open'); // stuck: re-opened by halfOpenMaxWait
      slow.resolve('late');
      second.resolve('late');
      await Promise.all([first, other]);
      expect(breaker.snapshot().metrics.ignoredCalls).toBe(2); // stale now
    });
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
      await flushMacrotask();
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
