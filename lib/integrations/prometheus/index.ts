/**
 * `breakwater/prometheus`: breakwater's metrics on a prom-client registry, under Resilience4j's
 * names. Importing it loads prom-client (an optional peer dependency); importing `breakwater`
 * alone never does.
 *
 * @packageDocumentation
 * @module breakwater/prometheus
 */
export { registerPrometheusMetrics, type PrometheusMetricsHandle } from './register.js';
export type { PrometheusMetricsOptions } from './options.js';
