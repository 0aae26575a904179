import type { Clock, TimerHandle } from './clock.js';

interface ManualTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/**
 * A clock that only moves when told to: for test frameworks without fake timers, or to drive
 * breakwater deterministically. Timers fire in due order during {@link ManualClock.advance}.
 *
 * @example
 * ```ts
 * const clock = new ManualClock({ now: Date.UTC(2030, 0, 1) });
 * const breaker = circuitBreaker({ name: 'users', clock });
 * clock.advance(60_000);
 * ```
 * @category Time
 */
export class ManualClock implements Clock {
  private wall: number;
  private mono = 0;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  /**
   * @param start - `now`: the initial wall time in epoch ms.
   * @defaultValue `{ now: 0 }`
   */
  constructor(start: { now?: number } = {}) {
    this.wall = start.now ?? 0;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, due: this.mono + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Number of timers not yet run: handy to assert that nothing was left behind. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Moves both readings forward by `ms`, running every timer that falls due, in order.
   *
   * @param ms - a finite, non-negative number of milliseconds.
   * @throws RangeError when `ms` is negative or not finite.
   */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`advance(ms): expected a finite number ≥ 0, got ${String(ms)}`);
    const target = this.mono + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.due <= target).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.wall += due.due - this.mono;
      this.mono = due.due;
      due.callback();
    }
    this.wall += target - this.mono;
    this.mono = target;
  }

  /**
   * Moves only the wall clock, as an NTP correction or a manual change would: durations are unaffected.
   *
   * @param ms - milliseconds to add (negative to go back).
   */
  jumpWallClock(ms: number): void {
    this.wall += ms;
  }
}
