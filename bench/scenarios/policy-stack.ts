import { handStackInContext } from '../libraries/hand.js';
import { measurePerCall } from './per-call.js';
import { succeed, type Scenario } from './scenario.js';

export const policyStack: Scenario = {
  id: 'policy-stack',
  title: '2. Fallback + breaker + retry + timeout + bulkhead, no failures',
  async run(context) {
    const entries = context.libraries.flatMap((lib) =>
      lib.stack ? [{ library: lib.id, op: lib.stack(succeed) }] : [],
    );
    // The decorated stack's reference: the floor plus the one AsyncLocalStorage entry per call that
    // `currentSignal()` costs (the functional stack enters none).
    if (context.libraries.some((lib) => lib.id === 'hand'))
      entries.push({ library: 'hand-als', op: handStackInContext(succeed) });
    const notes = [
      'Retry 3 attempts, timeout 2 s (rejects at the deadline), bulkhead 10 concurrent + 20 queued.',
      'opossum has no retry layer and no bulkhead queue: its row is fallback + breaker + timeout + `capacity`.',
    ];
    if (Number(process.versions.node.split('.')[0]) < 24) {
      notes.push(
        "Before Node 24, breakwater's timeout enters AsyncLocalStorage, which from then on adds promise hooks to every `await` in the process: every row here (peers and baseline too) ran in such a process. See scenario 10.",
      );
    }
    return {
      id: this.id,
      title: this.title,
      unit: 'ns',
      metric: 'ns per call',
      rows: await measurePerCall(context, entries),
      notes,
    };
  },
};
