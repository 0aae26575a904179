import { PolicyConfigError, type Clock, type ConfigIssue, type PolicyDefaults } from '../../index.js';
import type { DashboardHandlerOptions } from '../dashboard/index.js';

/**
 * What `/metrics` serves: a prom-client `Registry` (or anything with its `metrics()` and
 * `contentType`). breakwater/nestjs never imports prom-client itself: you create the registry, put
 * breakwater's metrics on it with `registerPrometheusMetrics({ registry })` from
 * `breakwater/prometheus`, and the module serves it.
 *
 * @category NestJS
 */
export interface MetricsRegistryLike {
  /** The text exposition of every metric on the registry. */
  metrics(): Promise<string>;
  /** The `Content-Type` of that text. */
  readonly contentType: string;
}

/**
 * Where and how {@link BreakwaterModuleOptions.dashboard} serves the dashboard.
 *
 * @category NestJS
 */
export interface BreakwaterDashboardMount extends Omit<DashboardHandlerOptions, 'path'> {
  /** The mount path, e.g. `'/ops/breakwater'`: the page is `<path>/`, its stream `<path>/events`. */
  readonly path: string;
}

/**
 * Where {@link BreakwaterModuleOptions.metrics} serves which registry.
 *
 * @category NestJS
 */
export interface BreakwaterMetricsMount {
  /** The path answered with the registry's text. @defaultValue `'/metrics'` */
  readonly path?: string;
  /** The registry to serve; put breakwater's metrics on it with `registerPrometheusMetrics({ registry })`. */
  readonly registry: MetricsRegistryLike;
}

/**
 * Options of `BreakwaterModule.forRoot()` (and what `forRootAsync`'s `useFactory` returns).
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import type { BreakwaterModuleOptions } from 'breakwater/nestjs';
 *
 * const options: BreakwaterModuleOptions = {
 *   dashboard: { path: '/ops/breakwater' },
 *   metrics: { path: '/metrics', registry: new Registry() },
 * };
 * ```
 * @category NestJS
 */
export interface BreakwaterModuleOptions {
  /**
   * The clock every policy reads while the application runs (`setClock`), e.g. a `ManualClock` in a
   * test module. The clock in force before is put back when the application closes.
   * @defaultValue the clock in force (the system clock unless you set another)
   */
  readonly clock?: Clock;
  /**
   * Options for every `@Retry` and `@CircuitBreaker` that leaves them out (`setPolicyDefaults`), in
   * force while the application runs: the policies of decorated methods are created at their first
   * call, so providers defined before the module get them. A named breaker keeps the options written
   * where its name is declared. Checked when the application is created.
   * @defaultValue none: each decorator's own options and the built-in defaults
   */
  readonly defaults?: PolicyDefaults;
  /**
   * Serves breakwater's live dashboard under `path` on the application's HTTP adapter (Express by
   * default). The other fields are {@link DashboardHandlerOptions} (its `path` excepted: the adapter
   * strips the mount path). Closed with the application.
   * @defaultValue not served
   */
  readonly dashboard?: BreakwaterDashboardMount;
  /**
   * Serves a Prometheus registry's text format at `path` (`GET` only).
   * @defaultValue not served
   */
  readonly metrics?: BreakwaterMetricsMount;
}

/** The options checked, with defaults applied. @internal */
export interface ResolvedModuleOptions {
  readonly clock: Clock | undefined;
  readonly defaults: PolicyDefaults | undefined;
  readonly dashboard: BreakwaterDashboardMount | undefined;
  readonly metrics: { readonly path: string; readonly registry: MetricsRegistryLike } | undefined;
}

const KNOWN = ['clock', 'defaults', 'dashboard', 'metrics'] as const;
const MOUNT_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*[^/]$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkPath(issues: ConfigIssue[], field: string, value: unknown): void {
  if (typeof value !== 'string' || !MOUNT_PATH.test(value) || value.includes('//')) {
    issues.push({ field, value, expected: "a URL path starting with '/', not ending with one (e.g. '/breakwater')" });
  }
}

/**
 * Checks the module's options, reporting every bad field at once.
 *
 * @param input - what `forRoot` was given or `useFactory` returned.
 * @throws PolicyConfigError naming each bad field.
 * @internal
 */
export function resolveModuleOptions(input: unknown): ResolvedModuleOptions {
  const where = 'BreakwaterModule.forRoot()';
  if (input === undefined) return { clock: undefined, defaults: undefined, dashboard: undefined, metrics: undefined };
  if (!isObject(input)) throw new PolicyConfigError(where, [{ field: 'options', value: input, expected: 'an object' }]);
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(input)) {
    // ConfigurableModuleBuilder passes its own extras (isGlobal) through the same object.
    if (!(KNOWN as readonly string[]).includes(key) && key !== 'isGlobal') {
      issues.push({ field: key, value: input[key], expected: `one of the known options (${KNOWN.join(', ')})` });
    }
  }
  const { clock, defaults, dashboard, metrics } = input;
  if (defaults !== undefined && !isObject(defaults)) {
    issues.push({ field: 'defaults', value: defaults, expected: 'an object { retry?, circuitBreaker? }' });
  }
  const timers = ['now', 'monotonic', 'setTimeout', 'clearTimeout'];
  if (clock !== undefined && (!isObject(clock) || timers.some((k) => typeof clock[k] !== 'function'))) {
    issues.push({
      field: 'clock',
      value: clock,
      expected: 'a Clock (an object with now, monotonic, setTimeout and clearTimeout functions)',
    });
  }
  if (dashboard !== undefined) {
    if (!isObject(dashboard))
      issues.push({ field: 'dashboard', value: dashboard, expected: "an object { path: '/…' }" });
    else checkPath(issues, 'dashboard.path', dashboard['path']);
  }
  let metricsPath = '/metrics';
  if (metrics !== undefined) {
    if (!isObject(metrics)) {
      issues.push({ field: 'metrics', value: metrics, expected: 'an object { registry, path? }' });
    } else {
      if (metrics['path'] !== undefined) checkPath(issues, 'metrics.path', metrics['path']);
      metricsPath = (metrics['path'] as string | undefined) ?? metricsPath;
      const registry = metrics['registry'];
      if (
        !isObject(registry) ||
        typeof registry['metrics'] !== 'function' ||
        typeof registry['contentType'] !== 'string'
      ) {
        issues.push({
          field: 'metrics.registry',
          value: registry,
          expected: 'a prom-client Registry (an object with metrics() and contentType)',
        });
      }
    }
  }
  if (issues.length > 0) throw new PolicyConfigError(where, issues);
  return {
    clock: clock as Clock | undefined,
    defaults: defaults as PolicyDefaults | undefined,
    dashboard: dashboard as ResolvedModuleOptions['dashboard'],
    metrics:
      metrics === undefined
        ? undefined
        : { path: metricsPath, registry: (metrics as { registry: MetricsRegistryLike }).registry },
  };
}
