/** Summary of one contender's samples (one sample per round). */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p25: number;
  readonly p75: number;
  /** Half the interquartile range, relative to the median: the "±" printed next to a median. */
  readonly spread: number;
  readonly samples: readonly number[];
}

/** Linear-interpolated quantile of a sorted array (q in [0, 1]). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (position - low);
}

/** Median, quartiles and range of the samples; NaN fields for an empty list. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const p25 = quantile(sorted, 0.25);
  const p75 = quantile(sorted, 0.75);
  return {
    median,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    p25,
    p75,
    spread: median === 0 ? 0 : (p75 - p25) / 2 / Math.abs(median),
    samples,
  };
}
