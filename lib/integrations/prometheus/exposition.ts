import type { Sample } from './series.js';

/** The Prometheus types this exporter produces. @internal */
export type ExposedType = 'counter' | 'gauge' | 'histogram';

/** What prom-client's registry reads from a metric when it scrapes (`get()`), and for cluster aggregation. */
interface MetricData {
  readonly name: string;
  readonly help: string;
  readonly type: ExposedType;
  readonly aggregator: 'sum' | 'average';
  readonly values: Sample[];
}

/**
 * One metric as prom-client's registry sees it: `name`, `help`, `type`, `aggregator`, an async
 * `get()` returning its samples, and `reset()`. Its samples are computed when the registry asks
 * (every scrape), from the breaker and bulkhead handles or from the exporter's tallies, so nothing
 * runs on the call path; prom-client's own metric classes would hash labels on every update
 * instead. prom-client escapes label values and help text when it writes the exposition.
 * @internal
 */
export class ExposedMetric {
  /** The name it is registered under; `name` itself may be renamed by the registry (OpenMetrics counters). */
  readonly key: string;

  constructor(
    /** Read and written by prom-client's registry. */
    public name: string,
    readonly help: string,
    readonly type: ExposedType,
    private readonly read: (name: string) => Sample[],
    private readonly clear: () => void = () => undefined,
    readonly aggregator: 'sum' | 'average' = 'sum',
  ) {
    this.key = name;
  }

  get(): Promise<MetricData> {
    const { name, help, type, aggregator } = this;
    try {
      return Promise.resolve({ name, help, type, aggregator, values: this.read(name) });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `registry.resetMetrics()`: counters and histograms start again from zero; gauges are read afresh anyway. */
  reset(): void {
    this.clear();
  }
}
