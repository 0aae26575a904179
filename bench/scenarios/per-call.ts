import { summarize } from '../harness/stats.js';
import { interleave } from '../harness/interleave.js';
import { calibrate, timeCalls, timeRejections, type Op } from '../harness/timing.js';
import type { Row, ScenarioContext } from './scenario.js';

/** One contender of a per-call timing: an Op that resolves (or, with `rejects`, rejects) each time. */
export interface PerCallEntry {
  readonly library: string;
  readonly op: Op;
  readonly rejects?: boolean;
}

/**
 * Nanoseconds per call for each entry, interleaved. With `baseline`, each sample is paired with
 * the baseline's sample of the same round and the difference is what gets summarized.
 */
export async function measurePerCall(
  context: ScenarioContext,
  entries: readonly PerCallEntry[],
  baseline?: string,
): Promise<Row[]> {
  // Calibrated one after another: timing two contenders at once would measure neither.
  const gc = context.scale.gcBetweenSamples;
  const timed = [];
  for (const entry of entries) {
    const n = await calibrate(entry.op, context.scale.sampleMs, entry.rejects === true);
    const sample = (): Promise<number> =>
      entry.rejects === true ? timeRejections(entry.op, n, gc) : timeCalls(entry.op, n, gc);
    timed.push({ id: entry.library, sample });
  }
  const samples = await interleave(timed, context.scale);
  const base = baseline === undefined ? undefined : samples.get(baseline);
  return entries.map((entry) => {
    const own = samples.get(entry.library)!;
    const values = base === undefined || entry.library === baseline ? own : own.map((v, i) => v - base[i]!);
    return { library: entry.library, summary: summarize(values) };
  });
}
