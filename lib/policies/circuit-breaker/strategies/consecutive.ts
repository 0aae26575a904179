import type { BreakerStrategy, OpenReason } from './strategy.js';

/**
 * Opens after `threshold` failures in a row; any success starts the count over.
 * @internal
 */
export class ConsecutiveFailures implements BreakerStrategy {
  private failures = 0;

  constructor(private readonly threshold: number) {}

  record(failure: boolean): OpenReason | undefined {
    this.failures = failure ? this.failures + 1 : 0;
    return this.failures >= this.threshold ? 'failure_threshold' : undefined;
  }

  reset(): void {
    this.failures = 0;
  }

  /** Failures in a row so far. */
  get streak(): number {
    return this.failures;
  }

  /** Starts from `failures` in a row (a restored breaker). */
  load(failures: number): void {
    this.failures = failures;
  }
}
