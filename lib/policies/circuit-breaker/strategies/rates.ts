import type { SlidingWindow } from '../windows/sliding-window.js';
import type { BreakerStrategy, OpenReason } from './strategy.js';

/**
 * Opens when the failure rate or the slow-call rate over the sliding window reaches its
 * threshold, once the window holds at least `minimumCalls` calls. The failure rate is checked first.
 * @internal
 */
export class RateThresholds implements BreakerStrategy {
  constructor(
    private readonly window: SlidingWindow,
    private readonly minimumCalls: number,
    private readonly failureRate: number | undefined,
    private readonly slowCallRate: number | undefined,
  ) {}

  record(): OpenReason | undefined {
    // The judge feeds the window (it also serves the metrics); a division, not `failures >= r·calls`,
    // so that 3 of 10 reaches 0.3 despite 0.3·10 rounding above 3.
    const w = this.window;
    if (w.calls < this.minimumCalls) return undefined;
    if (this.failureRate !== undefined && w.failures / w.calls >= this.failureRate) return 'failure_rate';
    if (this.slowCallRate !== undefined && w.slowCalls / w.calls >= this.slowCallRate) return 'slow_call_rate';
    return undefined;
  }

  reset(): void {
    // The judge clears the shared window.
  }
}
