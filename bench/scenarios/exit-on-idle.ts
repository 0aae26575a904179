import { summarize } from '../harness/stats.js';
import type { Row, Scenario } from './scenario.js';
import { runChild } from './spawn.js';

export const exitOnIdle: Scenario = {
  id: 'exit-on-idle',
  title: '9. A process that trips a breaker and then idles: does it exit by itself?',
  async run(context) {
    const { exitRounds, exitLimitMs } = context.scale;
    const ids = context.libraries.filter((lib) => lib.open !== undefined).map((lib) => lib.id);
    const times = new Map<string, number[]>(ids.map((id) => [id, []]));
    const hung = new Set<string>();
    const failures = new Map<string, string>();
    for (let round = 0; round < exitRounds; round++) {
      for (const id of ids) {
        if (hung.has(id) || failures.has(id)) continue; // one hang is the answer; don't wait again
        const outcome = await runChild(['exit', id], exitLimitMs);
        if (!outcome.exited) hung.add(id);
        else if (outcome.code !== 0 || !outcome.stdout.includes('tripped')) {
          failures.set(id, `exit code ${String(outcome.code)}: ${outcome.stderr.trim().slice(0, 200)}`);
        } else times.get(id)!.push(outcome.ms);
      }
    }
    const rows: Row[] = ids.map((id) => {
      const failure = failures.get(id);
      if (failure !== undefined) return { library: id, note: `child failed: ${failure}` };
      if (hung.has(id)) return { library: id, exited: false, note: `still running after ${exitLimitMs} ms (killed)` };
      return { library: id, exited: true, summary: summarize(times.get(id)!) };
    });
    return {
      id: this.id,
      title: this.title,
      unit: 'ms',
      metric: `ms from spawn to exit (limit ${exitLimitMs} ms); includes Node's start-up and loading the library`,
      rows,
      notes: [
        'The child opens a breaker with real failures (reset timeout 10 min), makes one rejected call, and returns from main.',
        'The baseline row is a child that only throws and catches: Node start-up plus loading the bench code.',
      ],
    };
  },
};
