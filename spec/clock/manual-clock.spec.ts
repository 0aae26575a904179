import { getClock, setClock, systemClock } from '../../lib/clock/clock.js';
import { ManualClock } from '../../lib/clock/manual-clock.js';

describe('ManualClock', () => {
  it('runs due timers in order, at their due time, and nothing early', () => {
    const clock = new ManualClock({ now: 1_000 });
    const seen: Array<[string, number, number]> = [];
    clock.setTimeout(() => seen.push(['b', clock.monotonic(), clock.now()]), 20);
    clock.setTimeout(() => seen.push(['a', clock.monotonic(), clock.now()]), 10);
    const c = clock.setTimeout(() => seen.push(['c', clock.monotonic(), clock.now()]), 30);
    clock.clearTimeout(c);
    clock.advance(15);
    expect(seen).toEqual([['a', 10, 1_010]]);
    clock.advance(15);
    expect(seen).toEqual([
      ['a', 10, 1_010],
      ['b', 20, 1_020],
    ]);
    expect(clock.monotonic()).toBe(30);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runs timers scheduled by timers within the same advance', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    clock.setTimeout(() => {
      seen.push(clock.monotonic());
      clock.setTimeout(() => seen.push(clock.monotonic()), 5);
    }, 5);
    clock.advance(10);
    expect(seen).toEqual([5, 10]);
  });

  it('moves wall time alone on a jump, and refuses to go back', () => {
    const clock = new ManualClock({ now: 50 });
    clock.jumpWallClock(-40);
    expect(clock.now()).toBe(10);
    expect(clock.monotonic()).toBe(0);
    expect(() => clock.advance(-1)).toThrow(/expected a finite number ≥ 0, got -1/);
    expect(() => clock.advance(Number.NaN)).toThrow(/got NaN/);
  });

  it('can replace the process clock and be put back', () => {
    const manual = new ManualClock();
    setClock(manual);
    expect(getClock()).toBe(manual);
    setClock(systemClock);
    expect(getClock()).toBe(systemClock);
  });
});

describe('systemClock', () => {
  afterEach(() => jest.useRealTimers());

  it('follows Jest fake timers installed after it was imported', () => {
    jest.useFakeTimers({ now: 5_000 });
    const start = systemClock.monotonic();
    const fired = jest.fn();
    const handle = systemClock.setTimeout(fired, 100);
    jest.advanceTimersByTime(100);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(systemClock.now()).toBe(5_100);
    expect(systemClock.monotonic() - start).toBe(100);
    systemClock.clearTimeout(handle);
    const cancelled = jest.fn();
    systemClock.clearTimeout(systemClock.setTimeout(cancelled, 10));
    jest.advanceTimersByTime(10);
    expect(cancelled).not.toHaveBeenCalled();
  });
});
