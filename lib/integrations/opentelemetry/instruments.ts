import type { BatchObservableCallback, Counter, Histogram, Meter, Observable } from '@opentelemetry/api';
import { CircuitState, listBulkheads, listCircuitBreakers } from '../../index.js';

/** The instruments of one registration. @internal */
export interface Instruments {
  readonly events: Counter;
  readonly callDuration: Histogram;
  readonly attemptDuration: Histogram;
  /** Removes the gauges' callback: nothing is read from the handles any more. */
  stopObserving(): void;
}

const STATES: readonly CircuitState[] = Object.values(CircuitState);

/**
 * Creates the counter, the histograms and the observable gauges on `meter`. The gauges share one
 * batch callback that reads every breaker and bulkhead handle when the SDK collects.
 * @internal
 */
export function createInstruments(meter: Meter): Instruments {
  const events = meter.createCounter('breakwater.strategy.events', {
    description:
      'Resilience events: retries, rejections, timeouts, fallbacks, state changes, bulkhead rejections, shared-store outages',
    unit: '{event}',
  });
  const callDuration = meter.createHistogram('breakwater.call.duration', {
    description: 'Duration of calls seen by a circuit breaker or a retry (all attempts and waits), by outcome',
    unit: 'ms',
  });
  const attemptDuration = meter.createHistogram('breakwater.attempt.duration', {
    description: 'Duration of attempts guarded by a timeout, by outcome (success, failure, timeout)',
    unit: 'ms',
  });
  const state = meter.createObservableGauge('breakwater.circuit_breaker.state', {
    description: 'The states of each circuit breaker (1: current)',
  });
  const failureRate = meter.createObservableGauge('breakwater.circuit_breaker.failure_rate', {
    description: 'Failure rate over the sliding window, 0–1',
    unit: '1',
  });
  const slowCallRate = meter.createObservableGauge('breakwater.circuit_breaker.slow_call_rate', {
    description: 'Slow-call rate over the sliding window, 0–1',
    unit: '1',
  });
  const active = meter.createObservableGauge('breakwater.bulkhead.active', {
    description: 'Calls holding a bulkhead permit',
    unit: '{call}',
  });
  const queued = meter.createObservableGauge('breakwater.bulkhead.queued', {
    description: 'Calls waiting for a bulkhead permit',
    unit: '{call}',
  });
  const limit = meter.createObservableGauge('breakwater.bulkhead.limit', {
    description: 'Calls a bulkhead lets run at once',
    unit: '{call}',
  });
  const observables: Observable[] = [state, failureRate, slowCallRate, active, queued, limit];
  const observe: BatchObservableCallback = (result) => {
    for (const b of listCircuitBreakers()) {
      const current = b.state;
      for (const s of STATES) {
        result.observe(state, current === s ? 1 : 0, { 'pipeline.name': b.name, 'circuit_breaker.state': s });
      }
      const { metrics } = b.snapshot();
      result.observe(failureRate, metrics.failureRate, { 'pipeline.name': b.name });
      result.observe(slowCallRate, metrics.slowCallRate, { 'pipeline.name': b.name });
    }
    for (const b of listBulkheads()) {
      const attributes = { 'pipeline.name': b.name };
      result.observe(active, b.active, attributes);
      result.observe(queued, b.queued, attributes);
      result.observe(limit, b.maxConcurrent, attributes);
    }
  };
  meter.addBatchObservableCallback(observe, observables);
  return {
    events,
    callDuration,
    attemptDuration,
    stopObserving: () => meter.removeBatchObservableCallback(observe, observables),
  };
}
