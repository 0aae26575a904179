import type { Op } from '../harness/timing.js';
import type { Executor, LibraryAdapter, Work } from './adapter.js';

/** No library: `await fn()` itself, the floor every other row is measured against. */
export const baseline: LibraryAdapter = {
  id: 'baseline',
  label: '`await fn()`',
  closed(work: Work): Op {
    return work;
  },
  stack(work: Work): Op {
    return work;
  },
  async open(fail: Work): Promise<Op> {
    // No breaker to reject: the cost of a call that throws a fresh Error, for scale.
    return Promise.resolve(fail);
  },
  timeWindow(): Executor {
    return (work) => work();
  },
  countWindow(): Executor {
    return (work) => work();
  },
};
