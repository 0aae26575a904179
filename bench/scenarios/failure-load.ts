import { interleave } from '../harness/interleave.js';
import { summarize } from '../harness/stats.js';
import { collectGarbage, now } from '../harness/timing.js';
import type { Executor } from '../libraries/adapter.js';
import { fail, succeed, type Scenario } from './scenario.js';

async function alternate(execute: Executor, n: number, gcFirst = false): Promise<number> {
  if (gcFirst) collectGarbage();
  const start = now();
  for (let i = 0; i < n; i++) {
    try {
      await execute(i % 2 === 0 ? succeed : fail);
    } catch {
      // half of the calls fail by design
    }
  }
  return (now() - start) / n;
}

export const failureLoad: Scenario = {
  id: 'failure-load',
  title: '8. 50 % failures over a 100-call rate window',
  async run(context) {
    const contenders = [];
    for (const lib of context.libraries) {
      if (!lib.countWindow) continue;
      const execute = lib.countWindow();
      let n = 128;
      while ((await alternate(execute, n)) * n < (context.scale.sampleMs * 1e6) / 8 && n < 1 << 22) n *= 4;
      n = Math.max(128, Math.round((context.scale.sampleMs * 1e6) / (await alternate(execute, n))));
      contenders.push({ id: lib.id, sample: () => alternate(execute, n, context.scale.gcBetweenSamples) });
    }
    const samples = await interleave(contenders, context.scale);
    return {
      id: this.id,
      title: this.title,
      unit: 'ns',
      metric: 'ns per call, successes and failures alternating',
      rows: contenders.map((c) => ({ library: c.id, summary: summarize(samples.get(c.id)!) })),
      notes: [
        'Failure rate over the last 100 calls, opening at 75 %, at least 10 calls: a steady 50 % failure load keeps it closed and measures the bookkeeping.',
        'opossum has no count window: its row uses its rolling 10 s window (75 %).',
      ],
    };
  },
};
