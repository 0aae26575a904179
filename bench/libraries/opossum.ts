import CircuitBreaker from 'opossum';
import type { Op } from '../harness/timing.js';
import type { Executor, LibraryAdapter, TripTarget, Work } from './adapter.js';

// opossum judges only a failure percentage over a rolling time window (no consecutive count, no
// count window) and, by default, starts a 10 s timeout timer on every call. The breaker-only
// scenarios turn that timer off (`timeout: false`) so they compare breakers with breakers.
const breakerOnly = { timeout: false as const, resetTimeout: 60_000 };
const run = (work: Work): Promise<number> => work();

export const opossumAdapter: LibraryAdapter = {
  id: 'opossum',
  label: 'opossum',
  closed(work: Work): Op {
    const breaker = new CircuitBreaker(work, breakerOnly);
    return () => breaker.fire();
  },
  stack(work: Work): Op {
    // Fallback, breaker, timeout (2 s) and a concurrency cap (`capacity`, no queue): opossum has
    // no retry layer, so this stack has four layers.
    const breaker = new CircuitBreaker(work, { resetTimeout: 60_000, timeout: 2_000, capacity: 10 });
    breaker.fallback(() => 0);
    return () => breaker.fire();
  },
  async open(fail: Work): Promise<Op> {
    const breaker = new CircuitBreaker(fail, { ...breakerOnly, resetTimeout: 600_000 });
    while (!breaker.opened) await breaker.fire().catch(() => undefined);
    return () => breaker.fire();
  },
  timeWindow(): Executor {
    const breaker = new CircuitBreaker(run, {
      ...breakerOnly,
      errorThresholdPercentage: 50,
      rollingCountTimeout: 60_000,
      rollingCountBuckets: 60,
    });
    return (work) => breaker.fire(work);
  },
  countWindow(): Executor {
    // No count window in opossum: the default 10 s rolling window stands in for "last 100 calls".
    const breaker = new CircuitBreaker(run, { ...breakerOnly, errorThresholdPercentage: 75, volumeThreshold: 10 });
    return (work) => breaker.fire(work);
  },
  async idle(_index: number, work: Work): Promise<unknown> {
    const breaker = new CircuitBreaker(work);
    await breaker.fire();
    return breaker;
  },
  releaseIdle(held: unknown): void {
    // Each opossum breaker owns two (unref'd) intervals; without shutdown they would tick forever.
    (held as CircuitBreaker).shutdown();
  },
  trip(fail: Work): TripTarget {
    const breaker = new CircuitBreaker(fail, { ...breakerOnly, errorThresholdPercentage: 0 });
    let listener = (): void => undefined;
    breaker.on('open', () => listener());
    return {
      arm(onOpen) {
        breaker.close();
        listener = onOpen;
        return () => breaker.fire();
      },
    };
  },
};
