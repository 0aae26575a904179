import type { BreakerState } from '../state.js';
import type { Judge } from '../strategies/judge.js';

/**
 * What a breaker's decisions depend on, besides its options: the parts of a breaker that
 * `saveState()` writes and `initialState` restores. Times are the breaker's monotonic ms.
 * @internal
 */
export interface BreakerMemory {
  readonly state: BreakerState;
  readonly openedAt: number | null;
  /** The window and rules of the closed state; `undefined` until the first counted outcome. */
  readonly judge: Judge | undefined;
  /** Failures since the last success (the snapshot's metric; equal to the count rule's streak while closed). */
  readonly consecutiveFailures: number;
}
