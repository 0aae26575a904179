import type { CircuitBreakerMetrics } from './handle.js';

/**
 * A breaker's call counts since its creation or its last `reset()`: what `snapshot().metrics` reports
 * beside the window's rates.
 * @internal
 */
export class CallCounts {
  successful = 0;
  failed = 0;
  rejected = 0;
  ignored = 0;
  slow = 0;
  consecutiveFailures = 0;
  consecutiveSuccesses = 0;
  transitions = 0;

  success(): void {
    this.successful++;
    this.consecutiveSuccesses++;
    this.consecutiveFailures = 0;
  }

  failure(): void {
    this.failed++;
    this.consecutiveFailures++;
    this.consecutiveSuccesses = 0;
  }

  clear(): void {
    this.successful = this.failed = this.rejected = this.ignored = this.slow = 0;
    this.consecutiveFailures = this.consecutiveSuccesses = this.transitions = 0;
  }

  /** The counts as the handle reports them, with the window's rates. */
  metrics(failureRate: number, slowCallRate: number): CircuitBreakerMetrics {
    return {
      totalCalls: this.successful + this.failed + this.rejected + this.ignored,
      successfulCalls: this.successful,
      failedCalls: this.failed,
      rejectedCalls: this.rejected,
      ignoredCalls: this.ignored,
      slowCalls: this.slow,
      failureRate,
      slowCallRate,
      consecutiveFailures: this.consecutiveFailures,
      consecutiveSuccesses: this.consecutiveSuccesses,
      stateTransitions: this.transitions,
    };
  }
}
