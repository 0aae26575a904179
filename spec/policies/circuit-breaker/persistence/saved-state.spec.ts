import { ManualClock } from '../../../../lib/clock/manual-clock';
import { CircuitBreaker } from '../../../../lib/decorators/circuit-breaker';
import { isCircuitOpenError } from '../../../../lib/errors/circuit-open-error';
import type { CircuitStateChange } from '../../../../lib/events/types';
import { circuitBreaker } from '../../../../lib/functional/circuit-breaker';
import type { CircuitBreakerSavedState } from '../../../../lib/policies/circuit-breaker/persistence/saved-state';
import { getCircuitBreaker } from '../../../../lib/policies/circuit-breaker/registry';
import { deferred } from '../fixtures/helpers';

const T0 = Date.UTC(2030, 0, 1);
const fail = (): Promise<never> => Promise.reject(new Error('down'));
const ok = (): Promise<string> => Promise.resolve('ok');

async function rejection(p: Promise<unknown>): Promise<{ retryAfter: number }> {
  const error: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isCircuitOpenError(error)).toBe(true);
  return error as { retryAfter: number };
}

/** A clock of a process started later: its monotonic time starts at 0 again, its wall time goes on. */
function nextProcess(wall: number): ManualClock {
  return new ManualClock({ now: wall });
}

/** A JSON round trip, as through a file. */
function stored(state: CircuitBreakerSavedState): CircuitBreakerSavedState {
  return JSON.parse(JSON.stringify(state)) as CircuitBreakerSavedState;
}

describe('saveState()', () => {
  it('writes a new breaker as closed, with an empty window', () => {
    const clock = new ManualClock({ now: T0 });
    expect(circuitBreaker({ clock }).saveState()).toEqual({
      v: 1,
      state: 'closed',
      savedAt: T0,
      openedAt: null,
      consecutiveOpens: 0,
      openUntil: null,
      probeSuccesses: 0,
      consecutiveFailures: 0,
      failureTimes: [],
      window: { type: 'count', size: 100, outcomes: '' },
    });
  });

  it('writes the count window oldest first, slow calls in capitals, and the open deadline in wall time', async () => {
    const clock = new ManualClock({ now: T0 });
    const b = circuitBreaker({
      failureThreshold: 2,
      slowCallDuration: 50,
      slidingWindow: { type: 'count', size: 4 },
      resetTimeout: 10_000,
      clock,
    });
    await b.execute(ok);
    const slow = deferred<string>();
    const pending = b.execute(() => slow.promise);
    clock.advance(60);
    slow.resolve('late');
    await pending;
    await b.execute(fail).catch(() => undefined);
    await b.execute(ok);
    await b.execute(fail).catch(() => undefined);
    expect(b.saveState().window).toEqual({ type: 'count', size: 4, outcomes: 'Sfsf' });
    clock.advance(1_000);
    await b.execute(fail).catch(() => undefined);
    expect(b.state).toBe('open');
    clock.advance(3_000);
    expect(stored(b.saveState())).toMatchObject({
      state: 'open',
      savedAt: T0 + 4_060,
      openedAt: T0 + 1_060,
      consecutiveOpens: 1,
      openUntil: T0 + 11_060,
      consecutiveFailures: 2,
      window: { outcomes: 'fsff' },
    });
  });

  it('writes the buckets of a time window with their wall-clock start, and the times of a failure window', async () => {
    const clock = new ManualClock({ now: T0 });
    const b = circuitBreaker({
      failureThreshold: 3,
      failureWindow: 10_000,
      slidingWindow: { type: 'time', duration: 2_000 },
      clock,
    });
    clock.advance(250);
    await b.execute(fail).catch(() => undefined);
    await b.execute(ok);
    clock.advance(1_000);
    await b.execute(fail).catch(() => undefined);
    const saved = b.saveState();
    // 20 buckets of 100 ms: the calls at 250 ms and 1250 ms.
    expect(saved.window).toEqual({
      type: 'time',
      duration: 2_000,
      buckets: [
        { at: T0 + 200, calls: 2, failures: 1, slowCalls: 0, slowFailures: 0 },
        { at: T0 + 1_200, calls: 1, failures: 1, slowCalls: 0, slowFailures: 0 },
      ],
    });
    expect(saved.failureTimes).toEqual([T0 + 250, T0 + 1_250]);
    clock.advance(1_000);
    // The first bucket has left the window by now.
    expect(b.saveState().window).toMatchObject({ buckets: [{ at: T0 + 1_200 }] });
  });
});

describe('initialState', () => {
  it('restores an open circuit with the open time it has left by the wall clock, in a new process', async () => {
    const clock = new ManualClock({ now: T0 });
    const before = circuitBreaker({ failureThreshold: 1, resetTimeout: 30_000, clock });
    await before.execute(fail).catch(() => undefined);
    clock.advance(5_000);
    const saved = stored(before.saveState());

    // Down for 10 s; the new process's monotonic clock starts at 0.
    const later = nextProcess(T0 + 15_000);
    const after = circuitBreaker({ failureThreshold: 1, resetTimeout: 30_000, clock: later, initialState: saved });
    expect(after.state).toBe('open');
    expect(after.snapshot().openedAt).toBe(T0);
    expect((await rejection(after.execute(ok))).retryAfter).toBe(15_000);
    later.advance(15_000);
    const changes: CircuitStateChange[] = [];
    const sub = after.stateChanges$.subscribe((c) => changes.push(c));
    await expect(after.execute(ok)).resolves.toBe('ok');
    sub.unsubscribe();
    expect(changes.map((c) => c.reason)).toEqual(['reset_timeout']);
    expect(after.state).toBe('half_open');
  });

  it('lets the first call probe when the open time ran out while the process was down', async () => {
    const saved: CircuitBreakerSavedState = {
      ...circuitBreaker({ clock: new ManualClock({ now: T0 }) }).saveState(),
      state: 'open',
      openedAt: T0,
      consecutiveOpens: 1,
      openUntil: T0 + 1_000,
    };
    const after = circuitBreaker({ successThreshold: 1, clock: nextProcess(T0 + 60_000), initialState: saved });
    await expect(after.execute(ok)).resolves.toBe('ok');
    expect(after.state).toBe('closed');
  });

  it('never stays open longer than the open period it was saved with, even with a wall clock behind', async () => {
    const saved: CircuitBreakerSavedState = {
      ...circuitBreaker({ clock: new ManualClock({ now: T0 }) }).saveState(),
      state: 'open',
      openedAt: T0,
      consecutiveOpens: 1,
      openUntil: T0 + 1_000,
    };
    // This machine's clock is an hour behind the one that saved.
    const after = circuitBreaker({ clock: nextProcess(T0 - 3_600_000), initialState: saved });
    expect((await rejection(after.execute(ok))).retryAfter).toBe(1_000);
  });

  it('restores forced_open and disabled as such, without publishing a transition', async () => {
    const clock = new ManualClock({ now: T0 });
    const forced = circuitBreaker({ clock });
    forced.forceOpen();
    const disabled = circuitBreaker({ clock });
    disabled.disable();
    const a = circuitBreaker({ clock, initialState: stored(forced.saveState()) });
    const b = circuitBreaker({ clock, initialState: stored(disabled.saveState()) });
    expect(a.state).toBe('forced_open');
    expect(a.snapshot().openedAt).toBe(T0);
    expect((await rejection(a.execute(ok))).retryAfter).toBe(Infinity);
    expect(b.state).toBe('disabled');
    for (let i = 0; i < 10; i++) await b.execute(fail).catch(() => undefined);
    expect(b.state).toBe('disabled');
    expect(a.snapshot().metrics.stateTransitions + b.snapshot().metrics.stateTransitions).toBe(0);
  });

  it('restores a half-open circuit with its probe successes and every probe slot free', async () => {
    const clock = new ManualClock({ now: T0 });
    const options = { failureThreshold: 1, resetTimeout: 1_000, successThreshold: 3, halfOpenMaxCalls: 1, clock };
    const before = circuitBreaker(options);
    await before.execute(fail).catch(() => undefined);
    clock.advance(1_000);
    await before.execute(ok);
    const inFlight = deferred<string>();
    const probe = before.execute(() => inFlight.promise);
    const saved = stored(before.saveState());
    expect(saved).toMatchObject({ state: 'half_open', consecutiveOpens: 1, probeSuccesses: 1 });

    const after = circuitBreaker({ ...options, clock: nextProcess(T0 + 2_000), initialState: saved });
    // The probe in flight stayed with the old process: a new one is admitted at once.
    await expect(after.execute(ok)).resolves.toBe('ok');
    expect(after.state).toBe('half_open');
    await after.execute(ok);
    expect(after.state).toBe('closed');
    inFlight.resolve('done');
    await probe;
  });

  it('restores the count rule: a closed circuit one failure short of its threshold opens on the next', async () => {
    const clock = new ManualClock({ now: T0 });
    const before = circuitBreaker({ failureThreshold: 3, clock });
    await before.execute(fail).catch(() => undefined);
    await before.execute(fail).catch(() => undefined);
    const after = circuitBreaker({ failureThreshold: 3, clock, initialState: stored(before.saveState()) });
    expect(after.snapshot().metrics.consecutiveFailures).toBe(2);
    await after.execute(fail).catch(() => undefined);
    expect(after.state).toBe('open');
  });

  it('restores a time window into a process whose buckets do not line up, and lets downtime age it', async () => {
    const clock = new ManualClock({ now: T0 });
    const options = {
      failureRateThreshold: 0.5,
      minimumCalls: 4,
      slidingWindow: { type: 'time' as const, duration: 10_000 },
      clock,
    };
    const before = circuitBreaker(options);
    for (let i = 0; i < 3; i++) {
      await before.execute(i === 0 ? fail : ok).catch(() => undefined);
      clock.advance(1_000);
    }
    const saved = stored(before.saveState());
    // 1.3 s later, with a monotonic clock 123 ms into its own buckets.
    const later = new ManualClock({ now: T0 + 3_000 + 1_300 - 123 });
    later.advance(123);
    const after = circuitBreaker({ ...options, clock: later, initialState: saved });
    expect(after.snapshot().metrics.failureRate).toBeCloseTo(1 / 3);
    await after.execute(fail).catch(() => undefined);
    expect(after.state).toBe('open');

    // Down longer than the window: the saved calls have left it.
    const muchLater = circuitBreaker({ ...options, clock: nextProcess(T0 + 60_000), initialState: saved });
    await muchLater.execute(fail).catch(() => undefined);
    expect(muchLater.snapshot().metrics.failureRate).toBe(1);
    expect(muchLater.state).toBe('closed');
  });

  it('converts with the clock Jest fakes: a later system time is a later process', async () => {
    jest.useFakeTimers({ now: T0 });
    try {
      const before = circuitBreaker({ failureThreshold: 1, resetTimeout: 60_000 });
      await before.execute(fail).catch(() => undefined);
      const saved = stored(before.saveState());
      jest.setSystemTime(T0 + 20_000); // moves the wall clock only, as a restart would
      const after = circuitBreaker({ failureThreshold: 1, resetTimeout: 60_000, initialState: saved });
      expect((await rejection(after.execute(ok))).retryAfter).toBe(40_000);
    } finally {
      jest.useRealTimers();
    }
  });

  it('restores through @CircuitBreaker, named or not', async () => {
    const clock = new ManualClock({ now: T0 });
    const source = circuitBreaker({ failureThreshold: 1, clock });
    await source.execute(fail).catch(() => undefined);
    const initialState = stored(source.saveState());
    class Payments {
      @CircuitBreaker({ name: 'persist-dec', failureThreshold: 1, clock, initialState })
      async charge(): Promise<string> {
        return 'charged';
      }
      @CircuitBreaker({ failureThreshold: 1, clock, initialState })
      async refund(): Promise<string> {
        return 'refunded';
      }
    }
    expect(getCircuitBreaker('persist-dec')?.state).toBe('open');
    const p = new Payments();
    expect(isCircuitOpenError(await p.charge().catch((e: unknown) => e))).toBe(true);
    expect(isCircuitOpenError(await p.refund().catch((e: unknown) => e))).toBe(true);
  });

  it('is one breaker for one name when the saved states are equal, and a conflict naming initialState when not', () => {
    const clock = new ManualClock({ now: T0 });
    const saved = circuitBreaker({ clock }).saveState();
    const a = circuitBreaker({ name: 'persist-same', clock, initialState: stored(saved) });
    expect(circuitBreaker({ name: 'persist-same', clock, initialState: stored(saved) })).toBe(a);
    expect(() => circuitBreaker({ name: 'persist-same', clock })).toThrow(
      /differs in initialState \(a state saved at 2030-01-01T00:00:00.000Z \('closed'\) there, not set here\)/,
    );
    expect(() =>
      circuitBreaker({ name: 'persist-same', clock, initialState: { ...saved, consecutiveFailures: 1 } }),
    ).toThrow(/differs in initialState \(a state saved at .* there, another state saved at .* here\)/);
  });
});
