import type { BreakerStrategy, OpenReason } from './strategy.js';

/**
 * Opens when `threshold` failures fall within `window` ms, successes in between or not. Exact:
 * it keeps the times of the last `threshold` failures and opens when the oldest of them is at
 * most `window` ms old.
 * @internal
 */
export class FailuresInWindow implements BreakerStrategy {
  private readonly times: Float64Array;
  private count = 0;
  private next = 0;

  constructor(
    private readonly threshold: number,
    private readonly window: number,
  ) {
    this.times = new Float64Array(threshold);
  }

  record(failure: boolean, _slow: boolean, now: number): OpenReason | undefined {
    if (!failure) return undefined;
    this.times[this.next] = now;
    this.next = this.next + 1 === this.threshold ? 0 : this.next + 1;
    if (this.count < this.threshold) this.count++;
    // After the write, `next` points at the oldest of the last `threshold` failures.
    return this.count === this.threshold && now - this.times[this.next]! <= this.window
      ? 'failure_threshold'
      : undefined;
  }

  reset(): void {
    this.count = this.next = 0;
  }

  /** The times of the failures held (the last `threshold` at most), oldest first. */
  recent(): number[] {
    const times: number[] = [];
    for (let k = 0, i = (this.next - this.count + this.threshold) % this.threshold; k < this.count; k++) {
      times.push(this.times[i]!);
      i = i + 1 === this.threshold ? 0 : i + 1;
    }
    return times;
  }

  /** Starts from failures at `times` (oldest first; only the last `threshold` are kept). */
  load(times: readonly number[]): void {
    this.reset();
    for (const t of times.slice(-this.threshold)) this.record(true, false, t);
  }
}
