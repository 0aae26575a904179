import { metrics, trace, type MeterProvider } from '@opentelemetry/api';
import { events$, PolicyConfigError, type ConfigIssue, type ResilienceEvent } from '../../index.js';
import { measure, spanEvent, timedOutAttempt, type Measurement } from './attributes.js';
import { createInstruments, type Instruments } from './instruments.js';

/**
 * Options of {@link registerOpenTelemetryMetrics}.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * import type { OpenTelemetryMetricsOptions } from 'breakwater/opentelemetry';
 *
 * const options: OpenTelemetryMetricsOptions = { meterProvider: metrics.getMeterProvider(), spanEvents: true };
 * ```
 * @category OpenTelemetry
 */
export interface OpenTelemetryMetricsOptions {
  /**
   * Where the instruments come from (meter `breakwater`).
   * @defaultValue the global one, `metrics.getMeterProvider()`, read when this is called: register
   *   after your SDK has set it
   */
  readonly meterProvider?: MeterProvider;
  /**
   * Also add a span event (`breakwater.retry`, `breakwater.fallback`, `breakwater.rejected`,
   * `breakwater.timeout`, `breakwater.bulkhead_rejected`) to the span active where it happens, so a
   * trace shows why a request was slow.
   * @defaultValue false
   */
  readonly spanEvents?: boolean;
}

/**
 * What {@link registerOpenTelemetryMetrics} returns.
 *
 * @example
 * ```ts
 * import { registerOpenTelemetryMetrics } from 'breakwater/opentelemetry';
 *
 * const telemetry = registerOpenTelemetryMetrics();
 * process.once('SIGTERM', () => telemetry.unregister());
 * ```
 * @category OpenTelemetry
 */
export interface OpenTelemetryMetricsHandle {
  /**
   * Stops listening to `events$` and removes the gauges' callbacks: nothing more is recorded, and
   * calls pay nothing for the exporter. (OpenTelemetry has no way to delete an instrument from a
   * meter; the counters and histograms keep what they recorded.) Calling it again does nothing.
   */
  unregister(): void;
}

const WHERE = 'registerOpenTelemetryMetrics';

function resolve(options: unknown): { provider: MeterProvider; spanEvents: boolean } {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new PolicyConfigError(WHERE, [{ field: 'options', value: options, expected: 'an object' }]);
  }
  const given = { ...(options as Record<string, unknown> | undefined) };
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(given)) {
    if (key !== 'meterProvider' && key !== 'spanEvents') {
      issues.push({ field: key, value: given[key], expected: 'one of meterProvider, spanEvents' });
    }
  }
  const { meterProvider = metrics.getMeterProvider(), spanEvents = false } = given;
  const isProvider =
    typeof meterProvider === 'object' &&
    meterProvider !== null &&
    typeof (meterProvider as Partial<MeterProvider>).getMeter === 'function';
  if (!isProvider)
    issues.push({ field: 'meterProvider', value: meterProvider, expected: 'an OpenTelemetry MeterProvider' });
  if (typeof spanEvents !== 'boolean') issues.push({ field: 'spanEvents', value: spanEvents, expected: 'a boolean' });
  if (issues.length > 0) throw new PolicyConfigError(WHERE, issues);
  return { provider: meterProvider as MeterProvider, spanEvents: spanEvents as boolean };
}

function record(instruments: Instruments, m: Measurement): void {
  if (m === undefined) return;
  if (m.instrument === 'events') instruments.events.add(1, m.attributes);
  else (m.instrument === 'call' ? instruments.callDuration : instruments.attemptDuration).record(m.value, m.attributes);
}

function addSpanEvent(event: ResilienceEvent): void {
  const found = spanEvent(event);
  if (found === undefined) return;
  trace.getActiveSpan()?.addEvent(found.name, found.attributes);
}

/**
 * Records breakwater's metrics with OpenTelemetry: a counter of resilience events
 * (`breakwater.strategy.events`, attributes in Polly v8's shape), histograms of call and attempt
 * durations in ms (`breakwater.call.duration`, `breakwater.attempt.duration`), and observable
 * gauges of breaker state and rates and bulkhead use, read when the SDK collects. Covers every
 * policy, present and future. Depends on `@opentelemetry/api` only; bring your own SDK.
 *
 * @param options - the `MeterProvider` (the global one by default), and `spanEvents`.
 * @returns a handle whose `unregister()` stops recording.
 * @throws PolicyConfigError when an option is invalid.
 * @example
 * ```ts
 * import { registerOpenTelemetryMetrics } from 'breakwater/opentelemetry';
 *
 * // after the OpenTelemetry SDK has registered its global MeterProvider
 * registerOpenTelemetryMetrics({ spanEvents: true });
 * ```
 * @category OpenTelemetry
 */
export function registerOpenTelemetryMetrics(options?: OpenTelemetryMetricsOptions): OpenTelemetryMetricsHandle {
  const { provider, spanEvents } = resolve(options);
  const instruments = createInstruments(provider.getMeter('breakwater'));
  const subscription = events$.subscribe((event) => {
    record(instruments, measure(event));
    if (event.type === 'timeout') record(instruments, timedOutAttempt(event));
    if (spanEvents) addSpanEvent(event);
  });
  let registered = true;
  return {
    unregister(): void {
      if (!registered) return;
      registered = false;
      subscription.unsubscribe();
      instruments.stopObserving();
    },
  };
}
