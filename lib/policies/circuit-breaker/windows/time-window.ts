import type { SlidingWindow } from './sliding-window.js';

/** Counts per bucket: calls, failures, slow calls, slow failures. */
const SLOTS = 4;

/** The counts of one bucket of a {@link TimeWindow}, by its absolute index. @internal */
export interface BucketCounts {
  readonly index: number;
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
  readonly slowFailures: number;
}

/**
 * The outcomes of the last `duration` ms, in `buckets` buckets of `duration / buckets` ms each.
 * An outcome at monotonic time t sits in bucket ⌊t / width⌋; the window holds the newest
 * `buckets` buckets. Rolling forward clears at most `buckets` buckets however long the window
 * was idle, so an idle year costs the same as an idle second.
 * @internal
 */
export class TimeWindow implements SlidingWindow {
  calls = 0;
  failures = 0;
  slowCalls = 0;
  slowFailures = 0;
  /** Per bucket: calls, failures, slow calls, slow failures. */
  private readonly counts: Float64Array;
  /** The time each bucket covers, ms. */
  readonly width: number;
  /** Absolute index of the newest bucket; NaN before the first use. */
  private head = Number.NaN;

  constructor(
    duration: number,
    readonly buckets: number,
  ) {
    this.width = duration / buckets;
    this.counts = new Float64Array(buckets * SLOTS);
  }

  /** The absolute bucket of monotonic time `t` (shared with the reference model in the specs). */
  bucketOf(t: number): number {
    return Math.floor(t / this.width);
  }

  roll(now: number): number {
    const index = this.bucketOf(now);
    if (Number.isNaN(this.head)) {
      this.head = index;
      return 0;
    }
    // A clock that went back (an injected one) keeps recording into the newest bucket.
    if (index <= this.head) return 0;
    const steps = Math.min(index - this.head, this.buckets);
    for (let i = 1; i <= steps; i++) this.clearSlot(this.slot(this.head + i));
    this.head = index;
    return steps;
  }

  record(failure: boolean, slow: boolean, now: number): void {
    this.roll(now);
    const at = this.slot(this.head) * SLOTS;
    const c = this.counts;
    c[at]! += 1;
    this.calls += 1;
    if (failure) {
      c[at + 1]! += 1;
      this.failures += 1;
    }
    if (slow) {
      c[at + 2]! += 1;
      this.slowCalls += 1;
      if (failure) {
        c[at + 3]! += 1;
        this.slowFailures += 1;
      }
    }
  }

  clear(): void {
    this.counts.fill(0);
    this.calls = this.failures = this.slowCalls = this.slowFailures = 0;
    this.head = Number.NaN;
  }

  /** The buckets that hold calls, oldest first, by absolute index (roll first to drop those that left). */
  filled(): BucketCounts[] {
    const filled: BucketCounts[] = [];
    if (Number.isNaN(this.head)) return filled;
    for (let index = this.head - this.buckets + 1; index <= this.head; index++) {
      const at = this.slot(index) * SLOTS;
      const c = this.counts;
      if (c[at]! > 0) {
        filled.push({ index, calls: c[at]!, failures: c[at + 1]!, slowCalls: c[at + 2]!, slowFailures: c[at + 3]! });
      }
    }
    return filled;
  }

  /**
   * Replaces the content with `filled` (absolute indexes; several with one index add up). The newest
   * index becomes the head; buckets that would already have left the window are dropped.
   */
  load(filled: readonly BucketCounts[]): void {
    this.clear();
    if (filled.length === 0) return;
    this.head = Math.max(...filled.map((b) => b.index));
    const c = this.counts;
    for (const b of filled) {
      if (b.index <= this.head - this.buckets) continue;
      const at = this.slot(b.index) * SLOTS;
      c[at]! += b.calls;
      c[at + 1]! += b.failures;
      c[at + 2]! += b.slowCalls;
      c[at + 3]! += b.slowFailures;
      this.calls += b.calls;
      this.failures += b.failures;
      this.slowCalls += b.slowCalls;
      this.slowFailures += b.slowFailures;
    }
  }

  private slot(absolute: number): number {
    const s = absolute % this.buckets;
    return s < 0 ? s + this.buckets : s;
  }

  private clearSlot(slot: number): void {
    const at = slot * SLOTS;
    const c = this.counts;
    this.calls -= c[at]!;
    this.failures -= c[at + 1]!;
    this.slowCalls -= c[at + 2]!;
    this.slowFailures -= c[at + 3]!;
    c[at] = c[at + 1] = c[at + 2] = c[at + 3] = 0;
  }
}
