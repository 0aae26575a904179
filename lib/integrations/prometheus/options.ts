import { PolicyConfigError, type ConfigIssue } from '../../index.js';
import type { Registry, RegistryContentType } from 'prom-client';

/**
 * Options of {@link registerPrometheusMetrics}.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import type { PrometheusMetricsOptions } from 'breakwater/prometheus';
 *
 * const options: PrometheusMetricsOptions = { registry: new Registry(), prefix: 'resilience4j' };
 * ```
 * @category Prometheus
 */
export interface PrometheusMetricsOptions {
  /**
   * The prom-client registry to register on.
   * @defaultValue prom-client's default registry (`register`)
   */
  readonly registry?: Registry<RegistryContentType>;
  /**
   * The first part of every metric name: `breakwater_circuitbreaker_state`, … `'resilience4j'` gives
   * Resilience4j's own names, for dashboards built on them. Letters, digits, `_` and `:`, not
   * starting with a digit.
   * @defaultValue `'breakwater'`
   */
  readonly prefix?: string;
  /**
   * Upper bounds, in seconds, of the call-duration histogram's buckets (`+Inf` is added).
   * @defaultValue prom-client's: 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
   */
  readonly buckets?: readonly number[];
}

/** Options with defaults applied. @internal */
export interface ResolvedPrometheusOptions {
  readonly registry: Registry<RegistryContentType> | undefined;
  readonly prefix: string;
  readonly buckets: readonly number[];
}

const WHERE = 'registerPrometheusMetrics';
const KNOWN = ['registry', 'prefix', 'buckets'];
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function isRegistry(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return ['registerMetric', 'getSingleMetric', 'removeSingleMetric'].every((k) => typeof r[k] === 'function');
}

function validBuckets(value: unknown): value is readonly number[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const list = value as unknown[];
  return list.every(
    (b, i) => typeof b === 'number' && Number.isFinite(b) && b > 0 && (i === 0 || b > (list[i - 1] as number)),
  );
}

/**
 * Checks the exporter's options, reporting every bad one at once.
 *
 * @throws PolicyConfigError naming each bad field, its value and what is allowed.
 * @internal
 */
export function resolvePrometheusOptions(options: unknown): ResolvedPrometheusOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new PolicyConfigError(WHERE, [{ field: 'options', value: options, expected: 'an object' }]);
  }
  // Each option read once: what is checked is what is used.
  const given = { ...(options as Record<string, unknown> | undefined) };
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(given)) {
    if (!KNOWN.includes(key)) issues.push({ field: key, value: given[key], expected: `one of ${KNOWN.join(', ')}` });
  }
  const { registry, prefix = 'breakwater', buckets = DEFAULT_BUCKETS } = given;
  if (registry !== undefined && !isRegistry(registry)) {
    issues.push({ field: 'registry', value: registry, expected: 'a prom-client Registry' });
  }
  if (typeof prefix !== 'string' || !METRIC_NAME.test(prefix)) {
    issues.push({
      field: 'prefix',
      value: prefix,
      expected: 'a metric name prefix: letters, digits, _ and :, not starting with a digit',
    });
  }
  if (!validBuckets(buckets)) {
    issues.push({
      field: 'buckets',
      value: buckets,
      expected: 'a non-empty array of increasing numbers > 0 (seconds)',
    });
  }
  if (issues.length > 0) throw new PolicyConfigError(WHERE, issues);
  return {
    registry: registry as Registry<RegistryContentType> | undefined,
    prefix: prefix as string,
    buckets: [...(buckets as readonly number[])],
  };
}
