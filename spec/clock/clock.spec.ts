import { getClock, isPolicyConfigError, ManualClock, setClock, systemClock } from '../../lib/index.js';
import { clockExpected, isClock } from '../../lib/clock/clock.js';

// The one clock check: what every policy's `clock` option and setClock() accept.

describe('isClock', () => {
  it('asks a clock that only reads time for now and monotonic, and one that waits for the timers too', () => {
    const reads = { now: () => 0, monotonic: () => 0 };
    expect(isClock(reads, false)).toBe(true);
    expect(isClock(reads, true)).toBe(false);
    expect(isClock(new ManualClock(), true)).toBe(true);
    expect(isClock(systemClock, true)).toBe(true);
    for (const value of [undefined, null, 1, 'clock', { now: 1, monotonic: () => 0 }, () => 0]) {
      expect(isClock(value, false)).toBe(false);
    }
    expect(clockExpected(true)).toBe('a Clock (an object with now, monotonic, setTimeout and clearTimeout functions)');
    expect(clockExpected(false)).toBe('a Clock (an object with now and monotonic functions)');
  });
});

describe('setClock', () => {
  afterEach(() => setClock(systemClock));

  it('refuses what is not a whole clock, naming it, and keeps the clock in force', () => {
    const manual = new ManualClock();
    setClock(manual);
    let error: unknown;
    try {
      setClock({ now: () => 0, monotonic: () => 0 } as never);
    } catch (caught) {
      error = caught;
    }
    expect(isPolicyConfigError(error)).toBe(true);
    expect(String(error)).toContain('setClock()');
    expect(String(error)).toContain(
      'clock must be a Clock (an object with now, monotonic, setTimeout and clearTimeout functions)',
    );
    expect(getClock()).toBe(manual);
  });
});
