import type { CircuitBreakerMetrics } from './handle.js';

/**
 * A breaker's call counts since its creation or its last `reset()`: what `snapshot().metrics` reports
 * beside the window's rates. The breaker holds them as its own fields (an object of their own would
 * cost every breaker about 35 bytes, against the 600 B target of docs/performance.md); the functions
 * below are the one place they change.
 * @internal
 */
export interface CallCounts {
  successfulCalls: number;
  failedCalls: number;
  rejectedCalls: number;
  ignoredCalls: number;
  slowCalls: number;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  stateTransitions: number;
}

/** @internal */
export function countSuccess(c: CallCounts): void {
  c.successfulCalls++;
  c.consecutiveSuccesses++;
  c.consecutiveFailures = 0;
}

/** @internal */
export function countFailure(c: CallCounts): void {
  c.failedCalls++;
  c.consecutiveFailures++;
  c.consecutiveSuccesses = 0;
}

/** @internal */
export function clearCounts(c: CallCounts): void {
  c.successfulCalls = c.failedCalls = c.rejectedCalls = c.ignoredCalls = c.slowCalls = 0;
  c.consecutiveFailures = c.consecutiveSuccesses = c.stateTransitions = 0;
}

/** The counts as the handle reports them, with the window's rates. @internal */
export function metricsOf(c: CallCounts, failureRate: number, slowCallRate: number): CircuitBreakerMetrics {
  return {
    totalCalls: c.successfulCalls + c.failedCalls + c.rejectedCalls + c.ignoredCalls,
    successfulCalls: c.successfulCalls,
    failedCalls: c.failedCalls,
    rejectedCalls: c.rejectedCalls,
    ignoredCalls: c.ignoredCalls,
    slowCalls: c.slowCalls,
    failureRate,
    slowCallRate,
    consecutiveFailures: c.consecutiveFailures,
    consecutiveSuccesses: c.consecutiveSuccesses,
    stateTransitions: c.stateTransitions,
  };
}
