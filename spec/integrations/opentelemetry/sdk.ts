import type { Attributes } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type MetricData } from '@opentelemetry/sdk-metrics';

// A real OpenTelemetry SDK (sdk-metrics 2.x) with a reader the spec collects from on demand:
// no export interval, no timer.

class OnDemandReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }

  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export interface TestSdk {
  readonly provider: MeterProvider;
  /** Collects every metric now. */
  collect(): Promise<MetricData[]>;
  shutdown(): Promise<void>;
}

export function testSdk(): TestSdk {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  return {
    provider,
    async collect() {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw new AggregateError(errors, 'collection failed');
      return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    },
    shutdown: () => provider.shutdown(),
  };
}

/** The data points of `name` whose attributes include `attributes`. */
export function pointsOf(
  collected: readonly MetricData[],
  name: string,
  attributes: Attributes = {},
): Array<DataPoint<unknown>> {
  const metric = collected.find((m) => m.descriptor.name === name);
  if (metric === undefined) return [];
  return (metric.dataPoints as Array<DataPoint<unknown>>).filter((p) =>
    Object.entries(attributes).every(([k, v]) => p.attributes[k] === v),
  );
}

/** The value of the one data point of `name` matching `attributes`. */
export function valueOf(collected: readonly MetricData[], name: string, attributes: Attributes = {}): unknown {
  const points = pointsOf(collected, name, attributes);
  if (points.length !== 1) {
    throw new Error(`${String(points.length)} points of ${name} match ${JSON.stringify(attributes)}`);
  }
  return points[0]!.value;
}

/** A histogram data point's value. */
export interface HistogramValue {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}
