import {
  Bulkhead,
  bulkhead,
  CircuitBreaker,
  circuitBreaker,
  compose,
  Fallback,
  fallback,
  getCircuitBreaker,
  Retry,
  retry,
  Timeout,
  timeout,
  type CircuitBreakerHandle,
  type CircuitStateChange,
} from '../../lib/index.js';
import type { Op } from '../harness/timing.js';
import type { Executor, LibraryAdapter, TripTarget, Work } from './adapter.js';

// Two contenders from one engine: the decorator path (a method wrapped once when the class is
// defined) and the functional path (policies built by the factories). Methods return `work()`
// without an `async` of their own so both paths wrap exactly the same function.

let closedSerial = 0;

function armTrip(handle: CircuitBreakerHandle, call: () => Promise<unknown>): TripTarget {
  let listener = (): void => undefined;
  handle.stateChanges$.subscribe((change: CircuitStateChange) => {
    if (change.to === 'open') listener();
  });
  return {
    arm(onOpen) {
      handle.reset();
      listener = onOpen;
      return call;
    },
  };
}

export const breakwaterDecorator: LibraryAdapter = {
  id: 'bw-decorator',
  label: 'breakwater @decorators',
  closed(work: Work): Op {
    class Closed {
      @CircuitBreaker({ name: `bench.closed.decorator.${++closedSerial}` })
      call(): Promise<number> {
        return work();
      }
    }
    const target = new Closed();
    return () => target.call();
  },
  stack(work: Work): Op {
    class Stack {
      @Fallback('cached')
      @CircuitBreaker({ name: 'bench.stack.decorator' })
      @Retry({ maxAttempts: 3 })
      @Timeout(2_000)
      @Bulkhead({ maxConcurrent: 10, maxQueue: 20 })
      call(): Promise<number> {
        return work();
      }
      cached(_error: unknown): Promise<number> {
        return Promise.resolve(0);
      }
    }
    const target = new Stack();
    return () => target.call();
  },
  async open(fail: Work): Promise<Op> {
    class Open {
      @CircuitBreaker({ name: 'bench.open.decorator', resetTimeout: 600_000 })
      call(): Promise<number> {
        return fail();
      }
    }
    const target = new Open();
    for (let i = 0; i < 5; i++) await target.call().catch(() => undefined);
    return () => target.call();
  },
  timeWindow(): Executor {
    class TimeWindow {
      @CircuitBreaker({
        name: 'bench.time-window.decorator',
        failureRateThreshold: 0.5,
        slidingWindow: { type: 'time', duration: 60_000 },
      })
      call(work: Work): Promise<number> {
        return work();
      }
    }
    const target = new TimeWindow();
    return (work) => target.call(work);
  },
  countWindow(): Executor {
    class CountWindow {
      @CircuitBreaker({
        name: 'bench.count-window.decorator',
        failureRateThreshold: 0.75,
        slidingWindow: { type: 'count', size: 100 },
      })
      call(work: Work): Promise<number> {
        return work();
      }
    }
    const target = new CountWindow();
    return (work) => target.call(work);
  },
  async idle(_index: number, work: Work): Promise<unknown> {
    // One breaker per object (scope 'instance'), so "many breakers" = many objects.
    const target = new IdleTarget(work);
    await target.call();
    return target;
  },
  async trip(_fail: Work): Promise<TripTarget> {
    class Trip {
      // The method is the failing work itself (the body of the scenario's `fail`), as `fn` is in
      // the functional row and in every peer's row. A method that called `fail()` would create the
      // Error one user frame deeper than any other row, and V8 captures every frame into it (about
      // a microsecond each here): the row would time the bench's own frame, not the library.
      @CircuitBreaker({ name: 'bench.trip.decorator', failureThreshold: 1 })
      async call(): Promise<number> {
        throw new Error('dependency failed');
      }
    }
    const target = new Trip();
    await target.call().catch(() => undefined);
    return armTrip(getCircuitBreaker('bench.trip.decorator')!, () => target.call());
  },
};

class IdleTarget {
  constructor(private readonly work: Work) {}
  @CircuitBreaker({ scope: 'instance' })
  call(): Promise<number> {
    return this.work();
  }
}

export const breakwaterFunctional: LibraryAdapter = {
  id: 'bw-functional',
  label: 'breakwater functional',
  closed(work: Work): Op {
    const breaker = circuitBreaker({ name: `bench.closed.functional.${++closedSerial}` });
    return () => breaker.execute(work);
  },
  stack(work: Work): Op {
    const policy = compose(
      fallback(() => 0),
      circuitBreaker({ name: 'bench.stack.functional' }),
      retry({ maxAttempts: 3 }),
      timeout(2_000),
      bulkhead({ maxConcurrent: 10, maxQueue: 20 }),
    );
    return () => policy.execute(work);
  },
  async open(fail: Work): Promise<Op> {
    const breaker = circuitBreaker({ name: 'bench.open.functional', resetTimeout: 600_000 });
    for (let i = 0; i < 5; i++) await breaker.execute(fail).catch(() => undefined);
    return () => breaker.execute(fail);
  },
  timeWindow(): Executor {
    const breaker = circuitBreaker({
      name: 'bench.time-window.functional',
      failureRateThreshold: 0.5,
      slidingWindow: { type: 'time', duration: 60_000 },
    });
    return (work) => breaker.execute(work);
  },
  countWindow(): Executor {
    const breaker = circuitBreaker({
      name: 'bench.count-window.functional',
      failureRateThreshold: 0.75,
      slidingWindow: { type: 'count', size: 100 },
    });
    return (work) => breaker.execute(work);
  },
  async idle(_index: number, work: Work): Promise<unknown> {
    // Default options: no name, so not registered (a named one adds its registry entry and name).
    const breaker = circuitBreaker();
    await breaker.execute(work);
    return breaker;
  },
  trip(fail: Work): TripTarget {
    const breaker = circuitBreaker({ name: 'bench.trip.functional', failureThreshold: 1 });
    return armTrip(breaker, () => breaker.execute(fail));
  },
};
