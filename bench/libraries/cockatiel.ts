import {
  bulkhead,
  circuitBreaker,
  ConsecutiveBreaker,
  CountBreaker,
  fallback,
  handleAll,
  retry,
  SamplingBreaker,
  timeout,
  TimeoutStrategy,
  wrap,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { Op } from '../harness/timing.js';
import type { Executor, LibraryAdapter, TripTarget, Work } from './adapter.js';

const consecutive = (threshold: number, halfOpenAfter = 60_000): CircuitBreakerPolicy =>
  circuitBreaker(handleAll, { halfOpenAfter, breaker: new ConsecutiveBreaker(threshold) });

export const cockatielAdapter: LibraryAdapter = {
  id: 'cockatiel',
  label: 'cockatiel',
  closed(work: Work): Op {
    const breaker = consecutive(5);
    return () => breaker.execute(work);
  },
  stack(work: Work): Op {
    // Aggressive: the call rejects at the deadline, as breakwater's and opossum's timeouts do.
    // maxAttempts counts retries in cockatiel: 2 retries = 3 attempts.
    const policy = wrap(
      fallback(handleAll, 0),
      consecutive(5),
      retry(handleAll, { maxAttempts: 2 }),
      timeout(2_000, TimeoutStrategy.Aggressive),
      bulkhead(10, 20),
    );
    return () => policy.execute(work);
  },
  async open(fail: Work): Promise<Op> {
    const breaker = consecutive(5, 600_000);
    for (let i = 0; i < 5; i++) await breaker.execute(fail).catch(() => undefined);
    return () => breaker.execute(fail);
  },
  timeWindow(): Executor {
    const breaker = circuitBreaker(handleAll, {
      halfOpenAfter: 60_000,
      breaker: new SamplingBreaker({ threshold: 0.5, duration: 60_000 }),
    });
    return (work) => breaker.execute(work);
  },
  countWindow(): Executor {
    const breaker = circuitBreaker(handleAll, {
      halfOpenAfter: 60_000,
      breaker: new CountBreaker({ threshold: 0.75, size: 100, minimumNumberOfCalls: 10 }),
    });
    return (work) => breaker.execute(work);
  },
  async idle(_index: number, work: Work): Promise<unknown> {
    const breaker = consecutive(5);
    await breaker.execute(work);
    return breaker;
  },
  trip(fail: Work): TripTarget {
    // cockatiel has no way back to closed: a fresh breaker per sample (made before the clock starts).
    return {
      arm(onOpen) {
        const breaker = consecutive(1);
        breaker.onBreak(onOpen);
        return () => breaker.execute(fail);
      },
    };
  },
};
