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

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The heap once what was dropped is gone, finalization included: a `scope: 'instance'` breaker's
 * registry entry is removed by a FinalizationRegistry callback, which runs as a task after the
 * collection that found its object dead. Collects until a pass frees nothing more (at most 5).
 */
async function heapAfterFinalization(): Promise<number> {
  let heap = settledHeap();
  for (let pass = 0; pass < 5; pass++) {
    await turn();
    const next = settledHeap();
    if (next >= heap) return next;
    heap = next;
  }
  return heap;
}

export const idleHeap: Scenario = {
  id: 'idle-heap',
  title: '5. Heap per idle breaker',
  async run(context) {
    if (!canCollectGarbage()) throw new Error('idle-heap needs node --expose-gc');
    const count = context.scale.idleBreakers;
    const retained = new Map<string, number[]>();
    const contenders = context.libraries.flatMap((lib) => {
      if (lib.idle === undefined) return [];
      const left: number[] = [];
      retained.set(lib.id, left);
      return [
        {
          id: lib.id,
          async sample(): Promise<number> {
            // Allocated before the first reading, so the holding array is not counted.
            const held: unknown[] = new Array<unknown>(count).fill(null);
            const before = await heapAfterFinalization();
            for (let i = 0; i < count; i++) held[i] = await lib.idle!(i, succeed);
            const after = settledHeap();
            if (lib.releaseIdle) for (const h of held) lib.releaseIdle(h);
            held.fill(null);
            left.push(((await heapAfterFinalization()) - before) / count);
            // Used after that reading, so the array (counted in `before`) is alive in all three.
            held.length = 0;
            return (after - before) / count;
          },
        },
      ];
    });
    const warmupRounds = context.mode === 'smoke' ? 0 : 1;
    const samples = await interleave(contenders, { rounds: context.scale.heapRounds, warmupRounds });
    return {
      id: this.id,
      title: this.title,
      unit: 'bytes',
      metric: 'bytes of heap per breaker, after gc',
      rows: contenders.map((c) => ({
        library: c.id,
        summary: summarize(samples.get(c.id)!),
        // Like the samples, without the warm-up round (whose one-time allocations stay by design).
        retained: summarize(retained.get(c.id)!.slice(warmupRounds)),
      })),
      notes: [
        `Medians of ${context.scale.heapRounds} interleaved rounds. Each sample creates ${count.toLocaleString('en-US')} breakers with default options, calls each once, and reads heapUsed after two full collections.`,
        "breakwater's decorator row is one object per breaker (`scope: 'instance'`), the object included; its functional row is `circuitBreaker()` with no options (unnamed, so not in the registry).",
        'Retained: bytes per breaker still on the heap after every breaker and its object were dropped (opossum after `shutdown()`) and finalization ran.',
      ],
    };
  },
};
