import { measurePerCall } from './per-call.js';
import { fail, type Scenario } from './scenario.js';

export const openRejection: Scenario = {
  id: 'open-rejection',
  title: '3. Rejection while open',
  async run(context) {
    const entries = [];
    for (const lib of context.libraries) {
      if (lib.open) entries.push({ library: lib.id, op: await lib.open(fail), rejects: true });
    }
    return {
      id: this.id,
      title: this.title,
      unit: 'ns',
      metric: 'ns per rejected call (including the caller catching it)',
      rows: await measurePerCall(context, entries),
      notes: [
        'Each breaker was opened by real failures and stays open (reset timeout 10 min).',
        'The baseline row is a call that throws a fresh Error: the price of any error with a stack trace.',
      ],
    };
  },
};
