import {
  circuitBreaker,
  isCircuitOpenError,
  ManualClock,
  stateChanges$,
  type CircuitStateChange,
} from '../../lib/index.js';

// What moves an open circuit on in a test, as docs/testing.md says: advancing Jest's fake timers (they
// fake `performance.now()`, which the system clock measures durations with) or a ManualClock; not
// `jest.setSystemTime`, which only sets the wall clock that timestamps come from.
describe('system clock under Jest fake timers', () => {
  let changes: CircuitStateChange[];
  let stop: () => void;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2030, 0, 1) });
    changes = [];
    const subscription = stateChanges$.subscribe((change) => changes.push(change));
    stop = () => subscription.unsubscribe();
  });

  afterEach(() => {
    stop();
    jest.useRealTimers();
  });

  async function openBreaker(name: string): Promise<ReturnType<typeof circuitBreaker>> {
    const breaker = circuitBreaker({ name, failureThreshold: 1, resetTimeout: 30_000, successThreshold: 1 });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    expect(breaker.state).toBe('open');
    return breaker;
  }

  it('lets a probe through once the timers have advanced past the reset timeout', async () => {
    const breaker = await openBreaker('fake-timers.advance');
    jest.advanceTimersByTime(30_000);
    await expect(breaker.execute(() => 'probe')).resolves.toBe('probe');
    expect(breaker.state).toBe('closed');
  });

  it('keeps the circuit open when only the system time is set forward, and stamps events with it', async () => {
    const breaker = await openBreaker('fake-timers.system-time');
    jest.setSystemTime(Date.UTC(2030, 0, 2));
    const rejection = await breaker.execute(() => 'not run').catch((error: unknown) => error);
    expect(isCircuitOpenError(rejection) && rejection.retryAfter).toBe(30_000);
    expect(breaker.state).toBe('open');

    // The wall clock is what timestamps read: the next transition carries the time that was set.
    jest.advanceTimersByTime(30_000);
    await breaker.execute(() => 'probe');
    const halfOpened = changes.filter((c) => c.name === 'fake-timers.system-time' && c.to === 'half_open');
    expect(halfOpened.map((c) => c.at)).toEqual([Date.UTC(2030, 0, 2) + 30_000]);
  });
});

describe('ManualClock given to a breaker', () => {
  it('moves an open circuit on with advance(), not with jumpWallClock()', async () => {
    const clock = new ManualClock({ now: Date.UTC(2030, 0, 1) });
    const breaker = circuitBreaker({
      name: 'fake-timers.manual-clock',
      failureThreshold: 1,
      resetTimeout: 30_000,
      successThreshold: 1,
      clock,
    });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);

    clock.jumpWallClock(60_000);
    expect(isCircuitOpenError(await breaker.execute(() => 'not run').catch((error: unknown) => error))).toBe(true);

    clock.advance(30_000);
    await expect(breaker.execute(() => 'probe')).resolves.toBe('probe');
    expect(breaker.state).toBe('closed');
  });
});
