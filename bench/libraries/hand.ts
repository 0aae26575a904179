import { AsyncLocalStorage } from 'node:async_hooks';
import type { Op } from '../harness/timing.js';
import type { Executor, LibraryAdapter, TripTarget, Work } from './adapter.js';

// The floor: the least a correct breaker (and stack) must do, written without any generality.

class HandOpenError extends Error {
  override readonly name = 'HandOpenError';
}

/** Decides when to open: consecutive failures, or a failure rate over some window. */
interface Judge {
  success(): void;
  /** Records a failure; true when the breaker should open. */
  failure(): boolean;
  reset(): void;
}

class Consecutive implements Judge {
  private failures = 0;
  constructor(private readonly threshold: number) {}
  success(): void {
    this.failures = 0;
  }
  failure(): boolean {
    return ++this.failures >= this.threshold;
  }
  reset(): void {
    this.failures = 0;
  }
}

/** Failure rate over the last `size` calls: a ring of outcomes with running counts. */
class CountWindow implements Judge {
  private readonly ring: Uint8Array; // 0 empty, 1 success, 2 failure
  private next = 0;
  private calls = 0;
  private failures = 0;
  constructor(
    size: number,
    private readonly rate: number,
    private readonly minimumCalls = 10,
  ) {
    this.ring = new Uint8Array(size);
  }
  private push(outcome: 1 | 2): void {
    const old = this.ring[this.next]!;
    if (old === 0) this.calls++;
    else if (old === 2) this.failures--;
    this.ring[this.next] = outcome;
    if (outcome === 2) this.failures++;
    this.next = (this.next + 1) % this.ring.length;
  }
  success(): void {
    this.push(1);
  }
  failure(): boolean {
    this.push(2);
    return this.calls >= this.minimumCalls && this.failures >= this.rate * this.calls;
  }
  reset(): void {
    this.ring.fill(0);
    this.calls = this.failures = 0;
  }
}

/** Failure rate over a time window of one-second buckets, with running totals. */
class TimeWindow implements Judge {
  private readonly successes: Float64Array;
  private readonly failures: Float64Array;
  private bucket = Math.floor(Date.now() / 1000);
  private totalSuccesses = 0;
  private totalFailures = 0;
  constructor(
    seconds: number,
    private readonly rate: number,
    private readonly minimumCalls = 10,
  ) {
    this.successes = new Float64Array(seconds);
    this.failures = new Float64Array(seconds);
  }
  private roll(): number {
    const bucket = Math.floor(Date.now() / 1000);
    const size = this.successes.length;
    for (let b = Math.max(this.bucket + 1, bucket - size + 1); b <= bucket; b++) {
      const i = b % size;
      this.totalSuccesses -= this.successes[i]!;
      this.totalFailures -= this.failures[i]!;
      this.successes[i] = this.failures[i] = 0;
    }
    this.bucket = bucket;
    return bucket % size;
  }
  success(): void {
    const i = this.roll();
    this.successes[i]!++;
    this.totalSuccesses++;
  }
  failure(): boolean {
    const i = this.roll();
    this.failures[i]!++;
    const calls = ++this.totalFailures + this.totalSuccesses;
    return calls >= this.minimumCalls && this.totalFailures >= this.rate * calls;
  }
  reset(): void {
    this.successes.fill(0);
    this.failures.fill(0);
    this.totalSuccesses = this.totalFailures = 0;
  }
}

/** Closed → open on the judge's word → half-open after `resetTimeout` (lazily) → one probe. */
export class HandBreaker {
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private openedAt = 0;
  private readonly listeners: (() => void)[] = [];
  constructor(
    private readonly judge: Judge = new Consecutive(5),
    private readonly resetTimeout = 60_000,
  ) {}

  onOpen(listener: () => void): void {
    this.listeners.push(listener);
  }

  reset(): void {
    this.state = 'closed';
    this.judge.reset();
  }

  async execute<T>(work: () => Promise<T>): Promise<T> {
    if (this.state !== 'closed') {
      if (this.state === 'half-open' || Date.now() - this.openedAt < this.resetTimeout) throw new HandOpenError();
      this.state = 'half-open';
    }
    let value: T;
    try {
      value = await work();
    } catch (error) {
      if (this.judge.failure() || this.state === 'half-open') this.open();
      throw error;
    }
    if (this.state === 'half-open') this.reset();
    else this.judge.success();
    return value;
  }

  private open(): void {
    this.state = 'open';
    this.openedAt = Date.now();
    for (const listener of this.listeners) listener();
  }
}

class HandBulkheadFull extends Error {}
class HandTimeoutError extends Error {}

/** Fallback → breaker → retry (3 attempts) → timeout (2 s, a real timer) → bulkhead (10 + queue 20). */
function handStack(work: Work): Op {
  const breaker = new HandBreaker();
  let active = 0;
  const queue: (() => void)[] = [];
  const bulkhead = async (): Promise<number> => {
    if (active >= 10) {
      if (queue.length >= 20) throw new HandBulkheadFull();
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    active++;
    try {
      return await work();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
  const timeout = (): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new HandTimeoutError()), 2_000);
      bulkhead().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  const retry = async (): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await timeout();
      } catch (error) {
        if (attempt >= 3 || error instanceof HandOpenError) throw error;
      }
    }
  };
  return async () => {
    try {
      return await breaker.execute(retry);
    } catch {
      return 0;
    }
  };
}

/**
 * The stack floor with one AsyncLocalStorage entry per call: what breakwater's decorated stack pays
 * on top of the floor so that the method can read its signal with `currentSignal()`.
 */
export function handStackInContext(work: Work): Op {
  const context = new AsyncLocalStorage<object>();
  const store = {};
  const op = handStack(work);
  return () => context.run(store, op);
}

export const hand: LibraryAdapter = {
  id: 'hand',
  label: 'hand-written',
  closed(work: Work): Op {
    const breaker = new HandBreaker();
    return () => breaker.execute(work);
  },
  stack: handStack,
  async open(fail: Work): Promise<Op> {
    const breaker = new HandBreaker(new Consecutive(5), 600_000);
    for (let i = 0; i < 5; i++) await breaker.execute(fail).catch(() => undefined);
    return () => breaker.execute(fail);
  },
  timeWindow(): Executor {
    const breaker = new HandBreaker(new TimeWindow(60, 0.5));
    return (work) => breaker.execute(work);
  },
  countWindow(): Executor {
    const breaker = new HandBreaker(new CountWindow(100, 0.75));
    return (work) => breaker.execute(work);
  },
  async idle(_index: number, work: Work): Promise<unknown> {
    const breaker = new HandBreaker();
    await breaker.execute(work);
    return breaker;
  },
  trip(fail: Work): TripTarget {
    const breaker = new HandBreaker(new Consecutive(1));
    let listener = (): void => undefined;
    breaker.onOpen(() => listener());
    return {
      arm(onOpen) {
        breaker.reset();
        listener = onOpen;
        return () => breaker.execute(fail);
      },
    };
  },
};
