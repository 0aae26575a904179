/**
 * `breakwater/opentelemetry`: breakwater's metrics through the OpenTelemetry API, in the shape
 * Polly v8 uses. Importing it loads `@opentelemetry/api` (an optional peer dependency); importing
 * `breakwater` alone never does.
 *
 * @packageDocumentation
 * @module breakwater/opentelemetry
 */
export {
  registerOpenTelemetryMetrics,
  type OpenTelemetryMetricsOptions,
  type OpenTelemetryMetricsHandle,
} from './register.js';
