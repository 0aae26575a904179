import type { BulkheadSnapshot, CircuitBreakerHandle, CircuitState, CircuitStateChange } from '../../index.js';

// What the page receives, as JSON. Plain data only: names travel as JSON strings and reach the page's
// DOM through textContent, never as markup. Infinity has no JSON form, so a forced-open breaker's
// `retryAfter: Infinity` travels as null (its state says why there is no countdown). Lists, never
// objects keyed by name: a breaker may be called `__proto__`.

/** A breaker as the page shows it. @internal */
export interface BreakerView {
  readonly name: string;
  readonly state: CircuitState;
  readonly openedAt: number | null;
  /** Ms until a probe is admitted (0: the next call is one); null when not open or forced open. */
  readonly retryAfter: number | null;
  readonly failureRate: number;
  readonly slowCallRate: number;
  readonly consecutiveFailures: number;
  readonly window: { readonly calls: number; readonly failedCalls: number; readonly slowCalls: number };
  readonly totals: {
    readonly calls: number;
    readonly successful: number;
    readonly failed: number;
    readonly rejected: number;
    readonly ignored: number;
  };
  readonly settings: {
    readonly failureThreshold: number | null;
    readonly failureWindow: number | null;
    readonly failureRateThreshold: number | null;
    readonly slowCallRateThreshold: number | null;
    readonly slowCallDuration: number | null;
    readonly minimumCalls: number;
    /** null when it is a function of the number of consecutive openings (backoff). */
    readonly resetTimeout: number | null;
  };
}

/** A bulkhead as the page shows it. @internal */
export interface BulkheadView {
  readonly name: string;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly active: number;
  readonly queued: number;
}

/** One state change on the timeline. @internal */
export interface ChangeView {
  readonly name: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly at: number;
  readonly reason: string;
}

/** The first message of every stream: everything there is to show. @internal */
export interface SnapshotView {
  /** Server wall time (epoch ms) when it was taken; the page measures countdowns from its arrival. */
  readonly now: number;
  readonly breakers: readonly BreakerView[];
  readonly bulkheads: readonly BulkheadView[];
  /** Latest state changes, oldest first. */
  readonly timeline: readonly ChangeView[];
}

const orNull = (value: number | undefined): number | null => (value === undefined ? null : value);

/**
 * A breaker's card data, read from its handle (one `snapshot()`, no pending time-driven change applied).
 * @internal
 */
export function breakerView(handle: CircuitBreakerHandle): BreakerView {
  const s = handle.snapshot();
  const c = handle.settings;
  const m = s.metrics;
  return {
    name: s.name,
    state: s.state,
    openedAt: s.openedAt,
    retryAfter: s.retryAfter === null || !Number.isFinite(s.retryAfter) ? null : Math.max(0, Math.ceil(s.retryAfter)),
    failureRate: m.failureRate,
    slowCallRate: m.slowCallRate,
    consecutiveFailures: m.consecutiveFailures,
    window: { calls: s.window.calls, failedCalls: s.window.failedCalls, slowCalls: s.window.slowCalls },
    totals: {
      calls: m.totalCalls,
      successful: m.successfulCalls,
      failed: m.failedCalls,
      rejected: m.rejectedCalls,
      ignored: m.ignoredCalls,
    },
    settings: {
      failureThreshold: orNull(c.failureThreshold),
      failureWindow: orNull(c.failureWindow),
      failureRateThreshold: orNull(c.failureRateThreshold),
      slowCallRateThreshold: orNull(c.slowCallRateThreshold),
      slowCallDuration: orNull(c.slowCallDuration),
      minimumCalls: c.minimumCalls,
      resetTimeout: typeof c.resetTimeout === 'number' ? c.resetTimeout : null,
    },
  };
}

/** A bulkhead's card data. @internal */
export function bulkheadView(snapshot: BulkheadSnapshot): BulkheadView {
  const { name, maxConcurrent, maxQueue, active, queued } = snapshot;
  return { name, maxConcurrent, maxQueue, active, queued };
}

/** A timeline entry. @internal */
export function changeView(change: CircuitStateChange): ChangeView {
  const { name, from, to, at, reason } = change;
  return { name, from, to, at, reason };
}

/** Whether the page must be told about a bulkhead: its use or queue differs from what it last saw. @internal */
export function bulkheadChanged(previous: BulkheadView | undefined, next: BulkheadView): boolean {
  return (
    previous === undefined ||
    previous.active !== next.active ||
    previous.queued !== next.queued ||
    previous.maxConcurrent !== next.maxConcurrent ||
    previous.maxQueue !== next.maxQueue
  );
}

/**
 * The keep-newest ring of state changes behind the timeline: bounded, oldest dropped first.
 * @internal
 */
export class ChangeRing {
  private readonly items: ChangeView[] = [];

  constructor(private readonly capacity: number) {}

  push(change: ChangeView): void {
    if (this.capacity === 0) return;
    if (this.items.length === this.capacity) this.items.shift();
    this.items.push(change);
  }

  /** Oldest first. */
  list(): ChangeView[] {
    return [...this.items];
  }
}
