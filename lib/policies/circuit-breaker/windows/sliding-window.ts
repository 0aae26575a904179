/**
 * Outcome counts over a sliding window. Sums are kept running, so reading them is O(1); they
 * only ever drop by exactly what was added for the entries that leave, so they are never negative.
 * @internal
 */
export interface SlidingWindow {
  /** Calls in the window (after {@link SlidingWindow.roll}). */
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
  /** Slow calls that also failed (so `slowCalls - slowFailures` slow successes). */
  readonly slowFailures: number;
  /** Adds one outcome at monotonic time `now`. */
  record(failure: boolean, slow: boolean, now: number): void;
  /** Drops what has left the window by `now`; returns how many slots it cleared (0 for count windows). */
  roll(now: number): number;
  clear(): void;
}

/** A fraction in [0, 1]; 0 for an empty window, never NaN. @internal */
export function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
