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
}
