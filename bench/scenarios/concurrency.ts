import { interleave } from '../harness/interleave.js';
import { summarize } from '../harness/stats.js';
import { collectGarbage, now } from '../harness/timing.js';
import type { Scenario } from './scenario.js';

export const concurrency: Scenario = {
  id: 'concurrency',
  title: '6. 10,000 concurrent calls through one breaker',
  async run(context) {
    const calls = context.scale.concurrentCalls;
    // Every call waits on the same gate, opened only once all of them are in flight.
    let gate: Promise<number> = Promise.resolve(1);
    const work = (): Promise<number> => gate;
    const contenders = context.libraries.map((lib) => {
      const op = lib.closed(work);
      return {
        id: lib.id,
        async sample(): Promise<number> {
          let open!: (value: number) => void;
          gate = new Promise<number>((resolve) => (open = resolve));
          if (context.scale.gcBetweenSamples) collectGarbage();
          const start = now();
          const pending = new Array<Promise<unknown>>(calls);
          for (let i = 0; i < calls; i++) pending[i] = op();
          open(1);
          await Promise.all(pending);
          return (now() - start) / 1e6;
        },
      };
    });
    const samples = await interleave(contenders, context.scale);
    return {
      id: this.id,
      title: this.title,
      unit: 'ms',
      metric: `ms from the first call until all ${calls.toLocaleString('en-US')} have settled`,
      rows: contenders.map((c) => ({ library: c.id, summary: summarize(samples.get(c.id)!) })),
      notes: [
        'The closed breaker of scenario 1; each call awaits one shared promise, released after all calls started.',
      ],
    };
  },
};
