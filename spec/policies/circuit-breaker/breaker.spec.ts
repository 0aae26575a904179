import { ManualClock } from '../../../lib/clock/manual-clock';
import type { Call } from '../../../lib/runtime/call';
import { BulkheadFullError } from '../../../lib/errors/bulkhead-full-error';
import { CircuitOpenError, isCircuitOpenError } from '../../../lib/errors/circuit-open-error';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker';
import { CircuitBreakerPolicy } from '../../../lib/policies/circuit-breaker/breaker';
import type { CircuitBreakerOptions } from '../../../lib/policies/circuit-breaker/options';
import { resolveCircuitBreakerOptions } from '../../../lib/policies/circuit-breaker/validate-options';
import { reasonOf } from '../../support/async';
import { callOf, deferred, flushMacrotask, invoke } from './fixtures/helpers';
import { NEVER_ABORTED } from '../../../lib/runtime/scope';

const boom = (): Promise<never> => Promise.reject(new Error('boom'));
const ok = (): Promise<string> => Promise.resolve('ok');

function make(options: CircuitBreakerOptions = {}): { breaker: CircuitBreakerPolicy; clock: ManualClock } {
  const clock = new ManualClock({ now: 1_000_000 });
  const breaker = new CircuitBreakerPolicy('test', resolveCircuitBreakerOptions('test', { clock, ...options }));
  return { breaker, clock };
}

async function fail(breaker: CircuitBreakerPolicy, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await breaker.execute(boom).catch(() => undefined);
}

async function succeed(breaker: CircuitBreakerPolicy, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await breaker.execute(ok);
}

describe('CircuitBreakerPolicy', () => {
  describe('closed → open', () => {
    it('opens after failureThreshold consecutive failures and then rejects without invoking', async () => {
      const { breaker } = make({ failureThreshold: 3, resetTimeout: 10_000 });
      await fail(breaker, 2);
      await succeed(breaker); // a success starts the count over
      await fail(breaker, 2);
      expect(breaker.state).toBe('closed');
      await fail(breaker);
      expect(breaker.state).toBe('open');
      const fn = jest.fn(ok);
      const error = await breaker.execute(fn).catch((e: unknown) => e);
      expect(fn).not.toHaveBeenCalled();
      expect(isCircuitOpenError(error)).toBe(true);
      expect(error).toMatchObject({ breakerName: 'test', retryAfter: 10_000, code: 'ERR_CIRCUIT_OPEN' });
    });

    it('counts a synchronous throw as a failure and rethrows the same object', async () => {
      const { breaker } = make({ failureThreshold: 1 });
      const thrown = new Error('sync');
      const caught = await breaker
        .execute(() => {
          throw thrown;
        })
        .catch((e: unknown) => e);
      expect(caught).toBe(thrown);
      expect(breaker.state).toBe('open');
    });

    it('opens on the failure rate once minimumCalls are in the window, not before', async () => {
      const { breaker } = make({
        failureRateThreshold: 0.5,
        minimumCalls: 4,
        slidingWindow: { type: 'count', size: 4 },
      });
      await fail(breaker, 3); // rate 1, but only 3 calls: the default threshold (5) is off
      expect(breaker.state).toBe('closed');
      await succeed(breaker);
      expect(breaker.state).toBe('open');
    });

    it('opens on the slow-call rate, successes included', async () => {
      const { breaker, clock } = make({ slowCallDuration: 100, slowCallRateThreshold: 1, minimumCalls: 2 });
      for (let i = 0; i < 2; i++) {
        const d = deferred<string>();
        const p = breaker.execute(() => d.promise);
        clock.advance(100);
        d.resolve('late');
        await expect(p).resolves.toBe('late');
      }
      expect(breaker.state).toBe('open');
      expect(breaker.snapshot().metrics).toMatchObject({ slowCalls: 2, successfulCalls: 2, slowCallRate: 1 });
    });

    it('counts failures within failureWindow, successes in between or not', async () => {
      const { breaker, clock } = make({ failureThreshold: 3, failureWindow: 1000 });
      await fail(breaker);
      clock.advance(600);
      await fail(breaker);
      await succeed(breaker);
      clock.advance(600);
      await fail(breaker); // the first failure is 1200 ms old
      expect(breaker.state).toBe('closed');
      await fail(breaker); // 600, 1200, 1200: within 1000 ms
      expect(breaker.state).toBe('open');
    });
  });

  describe('open → half-open → closed | open', () => {
    it('goes half-open lazily: `state` is a plain read until a call arrives', async () => {
      const { breaker, clock } = make({ failureThreshold: 1, resetTimeout: 1000 });
      await fail(breaker);
      clock.advance(999);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: 1 });
      clock.advance(1);
      expect(breaker.state).toBe('open');
      const probe = deferred<string>();
      const p = breaker.execute(() => probe.promise);
      expect(breaker.state).toBe('half_open');
      probe.resolve('x');
      await p;
    });

    it('closes after successThreshold probe successes and re-opens on one probe failure', async () => {
      const resetTimeout = jest.fn((opens: number) => opens * 1000);
      const { breaker, clock } = make({ failureThreshold: 1, successThreshold: 2, resetTimeout });
      await fail(breaker);
      expect(resetTimeout).toHaveBeenLastCalledWith(1);
      clock.advance(1000);
      await succeed(breaker);
      await fail(breaker); // the probe fails: re-open for 2 s
      expect(breaker.state).toBe('open');
      expect(resetTimeout).toHaveBeenLastCalledWith(2);
      clock.advance(1999);
      await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
      clock.advance(1);
      await succeed(breaker, 2);
      expect(breaker.state).toBe('closed');
      await fail(breaker); // consecutiveOpens started over
      expect(resetTimeout).toHaveBeenLastCalledWith(1);
    });

    it('rejects calls beyond halfOpenMaxCalls with the time until halfOpenMaxWait ends', async () => {
      const { breaker, clock } = make({
        failureThreshold: 1,
        resetTimeout: 0,
        halfOpenMaxCalls: 1,
        halfOpenMaxWait: 5000,
      });
      await fail(breaker);
      const probe = deferred<string>();
      const p = breaker.execute(() => probe.promise);
      clock.advance(1000);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: 4000 });
      probe.resolve('ok');
      await p;
    });

    it('frees the probe slot of an ignored outcome', async () => {
      const { breaker } = make({
        failureThreshold: 1,
        resetTimeout: 0,
        failurePredicate: (e) => !(e instanceof TypeError),
      });
      await fail(breaker);
      await breaker.execute(() => Promise.reject(new TypeError('ignored'))).catch(() => undefined);
      expect(breaker.state).toBe('half_open');
      await succeed(breaker, 2);
      expect(breaker.state).toBe('closed');
    });
  });

  describe('outcome classification', () => {
    it('ignores errors the predicate rejects, counting neither way', async () => {
      const { breaker } = make({ failureThreshold: 1, failurePredicate: (e) => !(e instanceof TypeError) });
      await breaker.execute(() => Promise.reject(new TypeError('4xx'))).catch(() => undefined);
      expect(breaker.state).toBe('closed');
      expect(breaker.snapshot().metrics).toMatchObject({
        ignoredCalls: 1,
        failedCalls: 0,
        successfulCalls: 0,
        totalCalls: 1,
      });
    });

    it('counts a BulkheadFullError its own code throws as a failure: no bulkhead of its chain raised it', async () => {
      const { breaker } = make({ failureThreshold: 1 });
      const full = new BulkheadFullError('pool', 1, 0, 'full');
      await expect(breaker.execute(() => Promise.reject(full))).rejects.toBe(full);
      expect(breaker.state).toBe('open');
      expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 1, ignoredCalls: 0 });
    });

    describe('a rejection value that throws on property access', () => {
      // Each gets a fresh value: a revoked Proxy, and one whose every trap throws.
      const hostile = (): Array<[string, Error]> => {
        const revocable = Proxy.revocable(new Error('revoked'), {});
        revocable.revoke();
        const trap = (): never => {
          throw new TypeError('a trap');
        };
        const traps = new Proxy(new Error('traps'), {
          get: trap,
          getOwnPropertyDescriptor: trap,
          getPrototypeOf: trap,
          has: trap,
        });
        return [
          ['a revoked Proxy', revocable.proxy],
          ['a Proxy whose traps throw', traps],
        ];
      };

      it('reaches the caller as the exact value and counts as a failure', async () => {
        for (const [, value] of hostile()) {
          const { breaker } = make({ failureThreshold: 1 });
          const { reason: caught } = await reasonOf(breaker.execute(() => Promise.reject(value)));
          expect(caught === value).toBe(true);
          expect(breaker.state).toBe('open');
          expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 1, ignoredCalls: 0 });
        }
      });

      it('ends a half-open probe (re-opens) instead of holding its slot forever', async () => {
        for (const [, value] of hostile()) {
          const { breaker, clock } = make({ failureThreshold: 1, resetTimeout: 100 });
          await fail(breaker);
          clock.advance(100);
          const { reason: caught } = await reasonOf(
            breaker.execute(() => {
              throw value; // a synchronous throw takes the same path
            }),
          );
          expect(caught === value).toBe(true);
          expect(breaker.state).toBe('open');
          clock.advance(100);
          await succeed(breaker, 2);
          expect(breaker.state).toBe('closed');
        }
      });

      it('is passed to failurePredicate as it is', async () => {
        for (const [, value] of hostile()) {
          const seen: unknown[] = [];
          const { breaker } = make({ failureThreshold: 1, failurePredicate: (e) => (seen.push(e), false) });
          const { reason: caught } = await reasonOf(breaker.execute(() => Promise.reject(value)));
          expect(caught === value && seen.length === 1 && seen[0] === value).toBe(true);
          expect(breaker.snapshot().metrics.ignoredCalls).toBe(1);
        }
      });

      it('as a result, makes the call reject as await would, with the probe counted', async () => {
        const { breaker, clock } = make({ failureThreshold: 1, resetTimeout: 100 });
        await fail(breaker);
        clock.advance(100);
        const [, value] = hostile()[0]!;
        let result: Promise<unknown> | undefined;
        expect(() => (result = breaker.execute(() => value))).not.toThrow();
        await expect(result).rejects.toBeInstanceOf(TypeError);
        expect(breaker.state).toBe('open'); // the probe failed: its slot is not held
      });
    });

    it("ignores a CircuitOpenError from inside by default (another breaker's rejection)", async () => {
      const { breaker } = make({ failureThreshold: 1 });
      await breaker.execute(() => Promise.reject(new CircuitOpenError('inner', 5))).catch(() => undefined);
      expect(breaker.state).toBe('closed');
    });

    it('ignores a success admitted before reset() even though both generations are closed', async () => {
      // Untimed successes of one generation share a handler: the old generation's must stay old.
      const { breaker } = make({ failureThreshold: 2 });
      const before = deferred<string>();
      const stale = breaker.execute(() => before.promise);
      await breaker.execute(ok); // same generation: counted
      breaker.reset();
      const after = deferred<string>();
      const fresh = breaker.execute(() => after.promise);
      before.resolve('late');
      after.resolve('fresh');
      await expect(stale).resolves.toBe('late');
      await expect(fresh).resolves.toBe('fresh');
      expect(breaker.snapshot().metrics).toMatchObject({ successfulCalls: 1, ignoredCalls: 1 });
      // And the next failures still open the circuit of the current generation.
      await fail(breaker, 2);
      expect(breaker.state).toBe('open');
    });

    it('counts the outcome of a call as stale when the call itself reset the breaker before returning', async () => {
      const { breaker } = make({ failureThreshold: 1 });
      await breaker
        .execute(() => {
          breaker.reset(); // a new generation starts while this call is running
          return Promise.reject(new Error('boom'));
        })
        .catch(() => undefined);
      expect(breaker.state).toBe('closed');
      expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 0, ignoredCalls: 1 });
    });

    it('counts a probe as stale when a subscriber reset the breaker while it was being admitted', async () => {
      const { breaker, clock } = make({ failureThreshold: 1, resetTimeout: 1000 });
      await fail(breaker);
      const sub = breaker.stateChanges$.subscribe((c) => {
        if (c.to === 'half_open') breaker.reset();
      });
      try {
        clock.advance(1000);
        await breaker.execute(() => Promise.reject(new Error('probe failed'))).catch(() => undefined);
      } finally {
        sub.unsubscribe();
      }
      expect(breaker.state).toBe('closed');
      expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 0, ignoredCalls: 1 });
    });

    it('always ignores the outcome of a call whose caller aborted', async () => {
      const { breaker } = make({ failureThreshold: 1 });
      const controller = new AbortController();
      const work = deferred<string>();
      const p = breaker.execute(() => work.promise, controller.signal);
      controller.abort(new Error('caller gave up'));
      await expect(p).rejects.toThrow('caller gave up');
      work.reject(new Error('aborted downstream'));
      await flushMacrotask();
      expect(breaker.state).toBe('closed');
      expect(breaker.snapshot().metrics).toMatchObject({ ignoredCalls: 1, failedCalls: 0 });
    });

    it('counts the error as a failure when the predicate itself throws, and still rethrows the original', async () => {
      const { breaker } = make({
        failureThreshold: 1,
        failurePredicate: () => {
          throw new Error('predicate bug');
        },
      });
      await expect(breaker.execute(boom)).rejects.toThrow('boom');
      expect(breaker.state).toBe('open');
    });
  });

  describe('metrics and snapshot', () => {
    it('keeps totalCalls = successful + failed + rejected + ignored, and rates in [0, 1]', async () => {
      const { breaker } = make({ failureThreshold: 2, failurePredicate: (e) => !(e instanceof TypeError) });
      const empty = breaker.snapshot();
      expect(empty).toEqual({
        name: 'test',
        state: 'closed',
        openedAt: null,
        retryAfter: null,
        window: { calls: 0, failedCalls: 0, slowCalls: 0, slowFailedCalls: 0 },
        metrics: {
          totalCalls: 0,
          successfulCalls: 0,
          failedCalls: 0,
          rejectedCalls: 0,
          ignoredCalls: 0,
          slowCalls: 0,
          failureRate: 0,
          slowCallRate: 0,
          consecutiveFailures: 0,
          consecutiveSuccesses: 0,
          stateTransitions: 0,
        },
      });
      await succeed(breaker);
      await breaker.execute(() => Promise.reject(new TypeError('x'))).catch(() => undefined);
      await fail(breaker, 2);
      await breaker.execute(ok).catch(() => undefined);
      expect(breaker.snapshot().metrics).toEqual({
        totalCalls: 5,
        successfulCalls: 1,
        failedCalls: 2,
        rejectedCalls: 1,
        ignoredCalls: 1,
        slowCalls: 0,
        failureRate: 2 / 3,
        slowCallRate: 0,
        consecutiveFailures: 2,
        consecutiveSuccesses: 0,
        stateTransitions: 1,
      });
    });

    it('reports the window it judges by and the time left until a probe', async () => {
      const { breaker, clock } = make({ failureThreshold: 2, resetTimeout: 1_000 });
      await succeed(breaker);
      await fail(breaker, 1);
      expect(breaker.snapshot().window).toEqual({ calls: 2, failedCalls: 1, slowCalls: 0, slowFailedCalls: 0 });
      await fail(breaker, 1);
      expect(breaker.snapshot().retryAfter).toBe(1_000);
      clock.advance(400);
      expect(breaker.snapshot().retryAfter).toBe(600);
      clock.advance(700);
      expect(breaker.snapshot().retryAfter).toBe(0);
      breaker.forceOpen();
      expect(breaker.snapshot().retryAfter).toBe(Infinity);
      breaker.reset();
      expect(breaker.snapshot()).toMatchObject({
        retryAfter: null,
        window: { calls: 0, failedCalls: 0, slowCalls: 0, slowFailedCalls: 0 },
      });
    });

    it('shows its resolved options, every default applied', () => {
      expect(make({ failureRateThreshold: 0.5 }).breaker.settings).toEqual({
        failureThreshold: undefined,
        failureWindow: undefined,
        failureRateThreshold: 0.5,
        slowCallDuration: undefined,
        slowCallRateThreshold: undefined,
        slidingWindow: { type: 'count', size: 100 },
        minimumCalls: 10,
        resetTimeout: 60_000,
        halfOpenMaxCalls: 1,
        successThreshold: 2,
        halfOpenMaxWait: undefined,
      });
      expect(make({ failureThreshold: 3, failureWindow: 5_000 }).breaker.settings).toMatchObject({
        failureThreshold: 3,
        failureWindow: 5_000,
      });
    });

    it('keeps openedAt (wall time) after closing, and clears it on reset', async () => {
      const { breaker, clock } = make({ failureThreshold: 1, successThreshold: 1, resetTimeout: 100 });
      const openedAt = clock.now();
      await fail(breaker);
      clock.advance(100);
      await succeed(breaker);
      expect(breaker.snapshot()).toMatchObject({ state: 'closed', openedAt });
      breaker.reset();
      expect(breaker.snapshot().openedAt).toBeNull();
    });
  });

  describe('forceOpen, disable, reset', () => {
    it('forceOpen rejects every call with retryAfter Infinity until reset', async () => {
      const { breaker, clock } = make();
      breaker.forceOpen();
      breaker.forceOpen(); // no second transition
      clock.advance(1e9);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfter: Infinity });
      expect(breaker.snapshot()).toMatchObject({
        state: 'forced_open',
        openedAt: clock.now() - 1e9,
        metrics: { stateTransitions: 1, rejectedCalls: 1 },
      });
      breaker.reset();
      await expect(breaker.execute(ok)).resolves.toBe('ok');
    });

    it('disable lets everything through and never opens; totals still count', async () => {
      const { breaker } = make({ failureThreshold: 1 });
      breaker.disable();
      await fail(breaker, 5);
      expect(breaker.state).toBe('disabled');
      expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 5, failureRate: 0 });
      breaker.forceOpen();
      expect(breaker.state).toBe('forced_open');
      breaker.disable();
      breaker.reset();
      expect(breaker.state).toBe('closed');
    });

    it('reset zeroes every counter and ignores outcomes of calls admitted before it', async () => {
      const { breaker } = make({ failureThreshold: 1 });
      await succeed(breaker);
      const before = deferred<string>();
      const p = breaker.execute(() => before.promise);
      breaker.reset();
      before.reject(new Error('late'));
      await p.catch(() => undefined);
      expect(breaker.state).toBe('closed');
      expect(breaker.snapshot().metrics).toMatchObject({
        totalCalls: 1,
        ignoredCalls: 1,
        successfulCalls: 0,
        stateTransitions: 0,
      });
    });
  });

  describe('with a retry inside', () => {
    it('marks the call abandoned once the circuit opened after admitting it, and only then', async () => {
      const { breaker } = make({ failureThreshold: 1 });
      let seen: Call | undefined;
      const d = deferred<string>();
      const p = breaker.run(
        callOf(() => d.promise),
        (call) => ((seen = call), d.promise),
        new Set(['retry']),
      );
      expect(seen?.abandoned?.()).toBe(false);
      await fail(breaker);
      expect(seen?.abandoned?.()).toBe(true);
      d.resolve('done');
      await expect(p).resolves.toBe('done');
    });

    it('arms no guard without a retry inside', async () => {
      const { breaker } = make();
      let seen: Call | undefined;
      await breaker.run(callOf(ok), (call) => ((seen = call), invoke(call)), new Set(['timeout']));
      expect(seen?.abandoned).toBeUndefined();
    });
  });

  describe('cost', () => {
    it('allocates no window and no channel until needed', async () => {
      const { breaker } = make();
      const internals = breaker as unknown as { judge?: unknown; stateChannel?: unknown; eventChannel?: unknown };
      expect([internals.judge, internals.stateChannel, internals.eventChannel]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      await breaker.execute(ok).catch(() => undefined);
      expect(internals.judge).toBeDefined();
      expect(internals.stateChannel).toBeUndefined();
    });

    it('creates its rejection without stack frames (the cost of an outage), a message that says it all, and restores the trace limit', async () => {
      const { breaker } = make();
      breaker.forceOpen();
      const limit = Error.stackTraceLimit;
      const error = (await breaker.execute(ok).catch((e: unknown) => e)) as Error;
      expect(Error.stackTraceLimit).toBe(limit);
      expect(limit).toBeGreaterThan(0);
      const frames = error.stack!.split('\n').filter((l) => l.trimStart().startsWith('at '));
      expect(frames).toEqual([]);
      expect(error.stack).toContain(`Circuit '${breaker.name}' is open`);
    });
  });

  it('is the functional policy and its own handle', async () => {
    const b = circuitBreaker({ failureThreshold: 1 });
    expect(b.name).toBe('circuitBreaker');
    expect(b.kind).toBe('circuitBreaker');
    // Nothing can cancel the call: the shared never-aborted signal, and the first attempt's context.
    const seen: unknown[] = [];
    await b.execute(async (signal, context) => void seen.push(signal, context));
    await b.execute(async (signal, context) => void seen.push(signal, context));
    expect(seen[0]).toBe(NEVER_ABORTED);
    expect(seen[2]).toBe(NEVER_ABORTED);
    expect(seen[1]).toEqual({ attempt: 1 });
    expect(seen[3]).toBe(seen[1]);
  });
});
