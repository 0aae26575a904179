import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { Registry } from 'prom-client';
import { bulkhead, circuitBreaker, compose, events$, fallback, retry, timeout } from '../../lib/index.js';
import { registerOpenTelemetryMetrics } from '../../lib/integrations/opentelemetry/index.js';
import { registerPrometheusMetrics } from '../../lib/integrations/prometheus/index.js';
import { interleave } from '../harness/interleave.js';
import { summarize } from '../harness/stats.js';
import { calibrate, collectGarbage, type Op } from '../harness/timing.js';
import { succeed, type Row, type Scenario } from './scenario.js';

// What the metric exporters add to a call: the same breaker and the same five-policy stack, timed
// with no exporter, with a no-op `events$` subscriber (the events alone), with
// `registerPrometheusMetrics()` and with `registerOpenTelemetryMetrics()` (a real SDK
// MeterProvider, collected never: only the recording is timed). Each sample registers
// its exporter, times its calls, and unregisters, so the rows interleave in one process like the
// libraries of the other scenarios, and their ratios come from the same run.

/**
 * CPU time (user + system, this process) per call over `n` sequential calls, in ns. Wall time is
 * what the other scenarios report; here the differences sought are a few hundred ns per call, and
 * on a shared machine wall time also counts the time other processes held the CPU.
 */
async function cpuPerCall(op: Op, n: number, gcFirst: boolean): Promise<number> {
  if (gcFirst) collectGarbage();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await op();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / n;
}

/** An SDK reader that never exports: measurements are aggregated, as in a service between two scrapes. */
class IdleReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

type Exporter = 'off' | 'events' | 'prometheus' | 'otel';
const EXPORTERS: readonly Exporter[] = ['off', 'events', 'prometheus', 'otel'];

function register(exporter: Exporter): () => void {
  if (exporter === 'events') {
    // A subscriber that does nothing: what publishing the events costs, before any exporter work.
    const subscription = events$.subscribe(() => undefined);
    return () => subscription.unsubscribe();
  }
  if (exporter === 'prometheus') {
    const handle = registerPrometheusMetrics({ registry: new Registry() });
    return () => handle.unregister();
  }
  if (exporter === 'otel') {
    const provider = new MeterProvider({ readers: [new IdleReader()] });
    const handle = registerOpenTelemetryMetrics({ meterProvider: provider });
    return () => handle.unregister();
  }
  return () => undefined;
}

const SUBJECTS: ReadonlyArray<{ id: 'closed' | 'stack'; op: () => Op }> = [
  {
    id: 'closed',
    op: () => {
      const breaker = circuitBreaker({ name: 'bench.exporters.closed' });
      return () => breaker.execute(succeed);
    },
  },
  {
    id: 'stack',
    op: () => {
      const policy = compose(
        fallback(() => 0),
        circuitBreaker({ name: 'bench.exporters.stack' }),
        retry({ maxAttempts: 3 }),
        timeout(2_000),
        bulkhead({ maxConcurrent: 10, maxQueue: 20 }),
      );
      return () => policy.execute(succeed);
    },
  },
];

/** `closed-off`, `stack-prometheus`, …: the row ids, in report order. */
export const EXPORTER_ROWS = SUBJECTS.flatMap((s) => EXPORTERS.map((e) => `${s.id}-${e}`));

export const exporterCost: Scenario = {
  id: 'exporter-cost',
  title: '11. Metric exporters: cost per call with Prometheus or OpenTelemetry on',
  async run(context) {
    const gc = context.scale.gcBetweenSamples;
    const contenders = [];
    for (const subject of SUBJECTS) {
      const op = subject.op();
      for (const exporter of EXPORTERS) {
        // Calibrated with its exporter on, so that every sample lasts about as long as the others.
        const unregister = register(exporter);
        const n = await calibrate(op, context.scale.sampleMs);
        unregister();
        contenders.push({
          id: `${subject.id}-${exporter}`,
          async sample(): Promise<number> {
            const off = register(exporter);
            try {
              return await cpuPerCall(op, n, gc);
            } finally {
              off();
            }
          },
        });
      }
    }
    // Three times the usual rounds: the differences sought are small next to a shared machine's noise.
    const samples = await interleave(contenders, { ...context.scale, rounds: context.scale.rounds * 3 });
    const rows: Row[] = EXPORTER_ROWS.map((id) => ({ library: id, summary: summarize(samples.get(id)!) }));
    const notes = [
      'Functional policies (`circuitBreaker()`, `compose(...)` of the five), calls that succeed. "off": no exporter registered. The stack is the one of scenario 2.',
      'events: a no-op `events$` subscriber (what publishing the events costs); prometheus: `registerPrometheusMetrics({ registry })`; otel: `registerOpenTelemetryMetrics({ meterProvider })` with @opentelemetry/sdk-metrics 2 and a reader that is never collected.',
    ];
    for (const subject of SUBJECTS) {
      const off = samples.get(`${subject.id}-off`)!;
      for (const exporter of ['events', 'prometheus', 'otel'] as const) {
        const on = samples.get(`${subject.id}-${exporter}`)!;
        // Paired by round, like the overhead of scenario 1: noise shared by a round cancels out.
        const added = summarize(on.map((v, i) => v - off[i]!));
        const ratio = summarize(on.map((v, i) => v / off[i]!));
        notes.push(
          `${subject.id}, ${exporter} on: ${ratio.median.toFixed(2)}× the call with no exporter, ${added.median < 0 ? '-' : '+'}${Math.abs(added.median).toFixed(0)} ns per call (medians of per-round ratios and differences).`,
        );
      }
    }
    return {
      id: this.id,
      title: this.title,
      unit: 'ns',
      metric: 'CPU ns per call (user + system time of the process, not wall time)',
      rows,
      notes,
    };
  },
};
