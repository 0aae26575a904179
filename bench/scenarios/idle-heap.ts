import { interleave } from '../harness/interleave.js';
import { summarize } from '../harness/stats.js';
import { canCollectGarbage, collectGarbage } from '../harness/timing.js';
import { succeed, type Scenario } from './scenario.js';

function settledHeap(): number {
  // Twice: the first pass may only queue finalization of what it found unreachable.
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export const idleHeap: Scenario = {
  id: 'idle-heap',
  title: '5. Heap per idle breaker',
  async run(context) {
    if (!canCollectGarbage()) throw new Error('idle-heap needs node --expose-gc');
    const count = context.scale.idleBreakers;
    const contenders = context.libraries.flatMap((lib) => {
      if (lib.idle === undefined) return [];
      return [
        {
          id: lib.id,
          async sample(): Promise<number> {
            // Allocated before the first reading, so the holding array is not counted.
            const held: unknown[] = new Array<unknown>(count).fill(null);
            const before = settledHeap();
            for (let i = 0; i < count; i++) held[i] = await lib.idle!(i, succeed);
            const after = settledHeap();
            if (lib.releaseIdle) for (const h of held) lib.releaseIdle(h);
            return (after - before) / count;
          },
        },
      ];
    });
    const samples = await interleave(contenders, {
      rounds: context.scale.heapRounds,
      warmupRounds: context.mode === 'smoke' ? 0 : 1,
    });
    return {
      id: this.id,
      title: this.title,
      unit: 'bytes',
      metric: 'bytes of heap per breaker, after gc',
      rows: contenders.map((c) => ({ library: c.id, summary: summarize(samples.get(c.id)!) })),
      notes: [
        `Medians of ${context.scale.heapRounds} interleaved rounds. Each sample creates ${count.toLocaleString('en-US')} breakers with default options, calls each once, and reads heapUsed after two full collections.`,
        "breakwater's decorator row is one object per breaker (`scope: 'instance'`), the object included; its functional row is `circuitBreaker()` with no options (unnamed, so not in the registry).",
      ],
    };
  },
};
