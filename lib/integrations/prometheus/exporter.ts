import { getClock, listBulkheads, listCircuitBreakers, type ResilienceEvent } from '../../index.js';
import { ExposedMetric } from './exposition.js';
import { bulkheadSamples, rateSamples, stateSamples, windowSamples } from './gauges.js';
import type { ResolvedPrometheusOptions } from './options.js';
import { CounterSeries, HistogramSeries } from './series.js';

/** Resilience4j's retry kinds, by outcome, without and with a retry: constant strings, so a Map finds them at once. */
const RETRY_KINDS = {
  success: ['successful_without_retry', 'successful_with_retry'],
  failure: ['failed_without_retry', 'failed_with_retry'],
} as const;

/** A per-instance breaker's registry name (`name#k`): one per object, so its series must go with it. */
const PER_INSTANCE = /#\d+$/;

/** Names that were registered once and are not any more: their event-fed series go too. */
function prune(live: ReadonlySet<string>, seen: Set<string>, series: ReadonlyArray<CounterSeries | HistogramSeries>) {
  for (const name of live) seen.add(name);
  for (const s of series) {
    for (const name of [...s.names()]) {
      if (!live.has(name) && (seen.has(name) || PER_INSTANCE.test(name))) s.delete(name);
    }
  }
  for (const name of seen) if (!live.has(name)) seen.delete(name);
}

/**
 * The Prometheus exporter's state: tallies fed by `events$`, and the metrics prom-client's
 * registry reads when it scrapes. Pure of prom-client itself: `register.ts` connects them.
 * @internal
 */
export class PrometheusExporter {
  private readonly calls: HistogramSeries;
  private readonly notPermitted = new CounterSeries();
  private readonly retries = new CounterSeries();
  private readonly timeLimiter = new CounterSeries();
  private readonly bulkheadRejected = new CounterSeries();
  private readonly fallbacks = new CounterSeries();
  private readonly storeEvents = new CounterSeries();
  private readonly seenBreakers = new Set<string>();
  private readonly seenBulkheads = new Set<string>();
  /** Every metric, in the order they are registered. */
  readonly metrics: readonly ExposedMetric[];

  constructor(options: ResolvedPrometheusOptions) {
    this.calls = new HistogramSeries(options.buckets);
    const p = options.prefix;
    const cb = `${p}_circuitbreaker`;
    const bh = `${p}_bulkhead`;
    const breakers = () => listCircuitBreakers();
    const bulkheads = () => listBulkheads();
    const gauge = (name: string, help: string, read: () => ReturnType<typeof stateSamples>, average = false) =>
      new ExposedMetric(name, help, 'gauge', read, undefined, average ? 'average' : 'sum');
    const counter = (name: string, help: string, read: () => ReturnType<typeof stateSamples>, series: CounterSeries) =>
      new ExposedMetric(name, help, 'counter', read, () => series.clear());
    this.metrics = [
      gauge(`${cb}_state`, 'The states of the circuit breaker (1: current)', () => stateSamples(breakers())),
      new ExposedMetric(
        `${cb}_calls_seconds`,
        'Duration of the calls the circuit breaker admitted, by outcome (successful, failed, ignored)',
        'histogram',
        (name) => (this.pruneBreakers(), this.calls.samples(name)),
        () => this.calls.clear(),
      ),
      gauge(`${cb}_calls_seconds_max`, 'Longest call of the last two minutes, by outcome', () => {
        this.pruneBreakers();
        return this.calls.maxSamples(getClock().now());
      }),
      counter(
        `${cb}_not_permitted_calls_total`,
        'Calls the circuit breaker rejected without running them',
        () => (this.pruneBreakers(), this.notPermitted.samples()),
        this.notPermitted,
      ),
      counter(
        `${cb}_store_events_total`,
        'Times a circuit breaker lost its shared store, and found it again',
        () => (this.pruneBreakers(), this.storeEvents.samples()),
        this.storeEvents,
      ),
      gauge(
        `${cb}_failure_rate`,
        'Failure rate over the sliding window, % (-1: fewer calls than minimumCalls)',
        () => rateSamples(breakers(), 'failure'),
        true,
      ),
      gauge(
        `${cb}_slow_call_rate`,
        'Slow-call rate over the sliding window, % (-1: fewer calls than minimumCalls)',
        () => rateSamples(breakers(), 'slow'),
        true,
      ),
      gauge(`${cb}_slow_calls`, 'Slow calls in the sliding window, successful and failed', () =>
        windowSamples(breakers(), 'slow'),
      ),
      gauge(`${cb}_buffered_calls`, 'Calls in the sliding window, successful and failed', () =>
        windowSamples(breakers(), 'buffered'),
      ),
      counter(
        `${p}_retry_calls_total`,
        'Calls through a retry, by outcome and whether they were retried',
        () => this.retries.samples(),
        this.retries,
      ),
      gauge(`${bh}_available_concurrent_calls`, 'Free bulkhead permits', () =>
        bulkheadSamples(bulkheads(), (b) => b.snapshot().available),
      ),
      gauge(`${bh}_max_allowed_concurrent_calls`, 'Calls the bulkhead lets run at once', () =>
        bulkheadSamples(bulkheads(), (b) => b.maxConcurrent),
      ),
      gauge(`${bh}_queue_depth`, 'Calls waiting for a bulkhead permit', () =>
        bulkheadSamples(bulkheads(), (b) => b.queued),
      ),
      gauge(`${bh}_queue_capacity`, 'Calls the bulkhead lets wait', () =>
        bulkheadSamples(bulkheads(), (b) => b.maxQueue),
      ),
      counter(
        `${bh}_rejected_calls_total`,
        'Calls the bulkhead refused (kind: full, queue_timeout)',
        () => (this.pruneBulkheads(), this.bulkheadRejected.samples()),
        this.bulkheadRejected,
      ),
      counter(
        `${p}_timelimiter_calls_total`,
        'Attempts under a timeout, by outcome (successful, failed, timeout)',
        () => this.timeLimiter.samples(),
        this.timeLimiter,
      ),
      counter(
        `${p}_fallback_calls_total`,
        'Calls answered by a fallback handler',
        () => this.fallbacks.samples(false),
        this.fallbacks,
      ),
    ];
  }

  /** Counts one event. Runs on the call path while registered: a switch, a Map lookup, an addition. */
  record(event: ResilienceEvent): void {
    switch (event.type) {
      case 'success':
        this.calls.observe(event.name, 'successful', event.duration / 1000, event.at);
        return;
      case 'failure':
        this.calls.observe(event.name, 'failed', event.duration / 1000, event.at);
        return;
      case 'ignored':
        this.calls.observe(event.name, 'ignored', event.duration / 1000, event.at);
        return;
      case 'rejected':
        this.notPermitted.add(event.name, 'not_permitted');
        return;
      case 'retry_outcome':
        this.retries.add(event.name, RETRY_KINDS[event.outcome][event.attempts > 1 ? 1 : 0]);
        return;
      case 'timeout':
        this.timeLimiter.add(event.name, 'timeout');
        return;
      case 'timeout_outcome':
        this.timeLimiter.add(event.name, event.outcome === 'success' ? 'successful' : 'failed');
        return;
      case 'bulkhead_rejected':
        this.bulkheadRejected.add(event.name, event.reason);
        return;
      case 'fallback':
        this.fallbacks.add(event.name, 'fallback');
        return;
      case 'store_unavailable':
        this.storeEvents.add(event.name, 'unavailable');
        return;
      case 'store_restored':
        this.storeEvents.add(event.name, 'restored');
        return;
      default:
        // State changes are read from the handles; a retry is counted once per call, by its
        // `retry_outcome`; event types this exporter does not know are not counted.
        return;
    }
  }

  private pruneBreakers(): void {
    const live = new Set(listCircuitBreakers().map((b) => b.name));
    prune(live, this.seenBreakers, [this.calls, this.notPermitted, this.storeEvents]);
  }

  private pruneBulkheads(): void {
    const live = new Set(listBulkheads().map((b) => b.name));
    prune(live, this.seenBulkheads, [this.bulkheadRejected]);
  }
}
