import { register as defaultRegistry, type Metric } from 'prom-client';
import { events$, PolicyConfigError } from '../../index.js';
import { PrometheusExporter } from './exporter.js';
import { resolvePrometheusOptions, type PrometheusMetricsOptions } from './options.js';

/**
 * What {@link registerPrometheusMetrics} returns: the way to take the metrics off again.
 *
 * @example
 * ```ts
 * import { registerPrometheusMetrics } from 'breakwater/prometheus';
 *
 * const metrics = registerPrometheusMetrics();
 * process.once('SIGTERM', () => metrics.unregister());
 * ```
 * @category Prometheus
 */
export interface PrometheusMetricsHandle {
  /**
   * Removes every breakwater metric from the registry and stops listening to `events$`. Calls
   * pay nothing for the exporter afterwards. Calling it again does nothing.
   */
  unregister(): void;
}

/**
 * Registers breakwater's metrics on a prom-client registry: every circuit breaker, retry, timeout,
 * bulkhead and fallback, those that exist now and those created later, under Resilience4j's
 * metric names and labels (`<prefix>_circuitbreaker_state{name,state}`, …). Gauges are read from
 * the breakers and bulkheads when Prometheus scrapes; counters and the call-duration histogram are
 * fed from `events$`. Labels are policy names and fixed kinds only, never error messages or
 * arguments. prom-client's default metrics are left alone (call `collectDefaultMetrics()` yourself
 * if you want them).
 *
 * @param options - the registry (prom-client's default one if omitted), the metric name prefix
 *   (`'breakwater'`, or `'resilience4j'` for dashboards built on Resilience4j), histogram buckets.
 * @returns a handle whose `unregister()` removes the metrics and the subscription.
 * @throws PolicyConfigError when an option is invalid, or when the registry already has a metric
 *   of the same name (registering twice with one prefix on one registry is a mistake: unregister
 *   the first, or use another registry or prefix).
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { register } from 'prom-client';
 * import { registerPrometheusMetrics } from 'breakwater/prometheus';
 *
 * registerPrometheusMetrics();
 * createServer(async (_req, res) => {
 *   res.setHeader('Content-Type', register.contentType);
 *   res.end(await register.metrics());
 * }).listen(9464, '127.0.0.1');
 * ```
 * @category Prometheus
 */
export function registerPrometheusMetrics(options?: PrometheusMetricsOptions): PrometheusMetricsHandle {
  const resolved = resolvePrometheusOptions(options);
  const registry = resolved.registry ?? defaultRegistry;
  const exporter = new PrometheusExporter(resolved);
  const taken = exporter.metrics.map((m) => m.key).filter((name) => registry.getSingleMetric(name) !== undefined);
  if (taken.length > 0) {
    throw new PolicyConfigError('registerPrometheusMetrics', [
      {
        field: 'registry',
        value: taken,
        expected:
          'a registry without metrics of these names (unregister() the earlier registration, or pass another registry or prefix)',
      },
    ]);
  }
  for (const metric of exporter.metrics) registry.registerMetric(metric as unknown as Metric);
  const subscription = events$.subscribe((event) => exporter.record(event));
  let registered = true;
  return {
    unregister(): void {
      if (!registered) return;
      registered = false;
      subscription.unsubscribe();
      for (const metric of exporter.metrics) {
        // Only our own object: something registered under the name since then stays.
        if (registry.getSingleMetric(metric.key) === (metric as unknown)) registry.removeSingleMetric(metric.key);
      }
    },
  };
}
