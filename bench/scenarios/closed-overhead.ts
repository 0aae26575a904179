import { measurePerCall } from './per-call.js';
import { succeed, type Scenario } from './scenario.js';

export const closedOverhead: Scenario = {
  id: 'closed-overhead',
  title: '1. Closed breaker: overhead per call above `await fn()`',
  async run(context) {
    const entries = context.libraries.map((lib) => ({ library: lib.id, op: lib.closed(succeed) }));
    return {
      id: this.id,
      title: this.title,
      unit: 'ns',
      metric: 'ns per call above `await fn()` (the baseline row is `await fn()` itself)',
      rows: await measurePerCall(context, entries, 'baseline'),
      notes: [
        'Default-like options: 5 consecutive failures (opossum: 50 % of a 10 s window), reset after 60 s.',
        'opossum runs with `timeout: false` here; its default starts a 10 s timer on every call.',
      ],
    };
  },
};
