import type { ResilienceEventBase } from './event-base.js';

/**
 * A breaker with a shared `store` lost it: a command failed or outlived the store's deadline. The
 * breaker carries on as its `onStoreFailure` mode says (its local state by default) until the
 * store answers again ({@link StoreRestoredEvent}). Published once per outage, on every process.
 * @category Events
 */
export interface StoreUnavailableEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'store_unavailable';
  /** What the store command failed with (a `StoreTimeoutError` when it outlived the deadline). */
  readonly error: unknown;
}
/**
 * A breaker's shared store answers again: the breaker has re-read the shared state and follows it.
 * @category Events
 */
export interface StoreRestoredEvent extends ResilienceEventBase {
  /** Discriminant. */
  readonly type: 'store_restored';
  /** How long the store was unavailable, ms. */
  readonly duration: number;
}
