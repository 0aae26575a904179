import { interleave } from '../harness/interleave.js';
import { quantile, summarize } from '../harness/stats.js';
import { now } from '../harness/timing.js';
import type { TripTarget } from '../libraries/adapter.js';
import { fail, type Scenario } from './scenario.js';

/** One trip: from the failing call's start until the open-listener runs, in ns. */
async function timeTrip(target: TripTarget): Promise<number> {
  let openedAt = 0;
  let opened!: () => void;
  const listened = new Promise<void>((resolve) => (opened = resolve));
  const call = target.arm(() => {
    openedAt = now();
    opened();
  });
  const start = now();
  await Promise.all([call().catch(() => undefined), listened]);
  return openedAt - start;
}

export const tripListener: Scenario = {
  id: 'trip-listener',
  title: '7. Failing call → state-change listener latency (p50)',
  async run(context) {
    const trips = context.scale.trips;
    const contenders = [];
    for (const lib of context.libraries) {
      if (!lib.trip) continue;
      const target = await lib.trip(fail);
      contenders.push({
        id: lib.id,
        async sample(): Promise<number> {
          const latencies: number[] = [];
          for (let i = 0; i < trips; i++) latencies.push(await timeTrip(target));
          return quantile(
            latencies.sort((a, b) => a - b),
            0.5,
          );
        },
      });
    }
    const samples = await interleave(contenders, context.scale);
    return {
      id: this.id,
      title: this.title,
      unit: 'ns',
      metric: `p50 ns from calling until the "opened" listener runs (${trips} trips per round; median of the rounds' p50)`,
      rows: contenders.map((c) => ({ library: c.id, summary: summarize(samples.get(c.id)!) })),
      notes: [
        'A breaker that opens on its first failure, reset to closed before each trip (cockatiel cannot close a breaker: a fresh one per trip, made before the clock starts).',
        "Every row fails in the function it wraps: breakwater's decorated method throws itself, with the same body as the `fn` the other rows are given.",
      ],
    };
  },
};
