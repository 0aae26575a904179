import { summarize } from '../harness/stats.js';
import type { Row, Scenario } from './scenario.js';
import { runChild } from './spawn.js';

const VARIANTS = [
  { id: 'plain', label: 'no breakwater call' },
  { id: 'breaker', label: 'after one @CircuitBreaker call (no signal)' },
  { id: 'timeout', label: 'after one @Timeout call (has a signal)' },
] as const;

export const awaitCost: Scenario = {
  id: 'await-cost',
  title: '10. Cost of every `await` in the process after a breakwater call',
  async run(context) {
    const withBreakwater = context.libraries.some((lib) => lib.id.startsWith('bw-'));
    const variants = withBreakwater ? VARIANTS : VARIANTS.slice(0, 1);
    const samples = new Map<string, number[]>(variants.map((v) => [v.id, []]));
    const failures = new Map<string, string>();
    // One fresh process per sample, interleaved: what is measured is irreversible within a process.
    for (let round = 0; round < Math.max(3, Math.ceil(context.scale.rounds / 2)); round++) {
      for (const variant of variants) {
        const outcome = await runChild(['await-cost', variant.id], 60_000);
        const line = outcome.stdout.trim().split('\n').pop() ?? '';
        if (outcome.code !== 0 || !line.startsWith('{')) {
          failures.set(variant.id, `exit code ${String(outcome.code)}: ${outcome.stderr.trim().slice(0, 200)}`);
          continue;
        }
        samples.get(variant.id)!.push((JSON.parse(line) as { nsPerAwait: number }).nsPerAwait);
      }
    }
    const rows: Row[] = variants.map((v) => {
      const failure = failures.get(v.id);
      if (failure !== undefined) return { library: v.id, note: `${v.label}; child failed: ${failure}` };
      return { library: v.id, summary: summarize(samples.get(v.id)!), note: v.label };
    });
    return {
      id: this.id,
      title: this.title,
      unit: 'ns',
      metric: 'ns per `await` of an unrelated async function, in a fresh process',
      rows,
      notes: [
        'Before Node 24, AsyncLocalStorage works through promise hooks that, once enabled, run on every promise in the process. breakwater enters it only for calls that carry a signal.',
      ],
    };
  },
};
