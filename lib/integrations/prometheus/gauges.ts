import {
  CircuitState,
  type BulkheadHandle,
  type CircuitBreakerHandle,
  type CircuitBreakerSnapshot,
} from '../../index.js';
import type { Sample } from './series.js';

// Gauges, read from the registries' handles when Prometheus scrapes: nothing on the call path.
// Values follow Resilience4j's micrometer binder, so that queries and alert thresholds written for
// it keep their meaning.

const STATES: readonly CircuitState[] = Object.values(CircuitState);

/** `state{name,state}`: 1 for the breaker's current state, 0 for the four others. @internal */
export function stateSamples(breakers: readonly CircuitBreakerHandle[]): Sample[] {
  const out: Sample[] = [];
  for (const b of breakers) {
    const current = b.state;
    for (const state of STATES) out.push({ labels: { name: b.name, state }, value: current === state ? 1 : 0 });
  }
  return out;
}

/** A rate as Resilience4j reports it: a percentage, or -1 while the window holds fewer than `minimumCalls` calls. */
function percent(rate: number, snapshot: CircuitBreakerSnapshot, minimumCalls: number): number {
  return snapshot.window.calls < minimumCalls ? -1 : rate * 100;
}

/** `failure_rate{name}` or `slow_call_rate{name}`. @internal */
export function rateSamples(breakers: readonly CircuitBreakerHandle[], which: 'failure' | 'slow'): Sample[] {
  return breakers.map((b) => {
    const s = b.snapshot();
    const rate = which === 'failure' ? s.metrics.failureRate : s.metrics.slowCallRate;
    return { labels: { name: b.name }, value: percent(rate, s, b.settings.minimumCalls) };
  });
}

/** `buffered_calls{name,kind}` or `slow_calls{name,kind}`: the window's calls, successful and failed. @internal */
export function windowSamples(breakers: readonly CircuitBreakerHandle[], which: 'buffered' | 'slow'): Sample[] {
  const out: Sample[] = [];
  for (const b of breakers) {
    const w = b.snapshot().window;
    const failed = which === 'buffered' ? w.failedCalls : w.slowFailedCalls;
    const all = which === 'buffered' ? w.calls : w.slowCalls;
    out.push(
      { labels: { name: b.name, kind: 'successful' }, value: all - failed },
      { labels: { name: b.name, kind: 'failed' }, value: failed },
    );
  }
  return out;
}

/** One gauge per bulkhead, `{name}`. @internal */
export function bulkheadSamples(bulkheads: readonly BulkheadHandle[], read: (b: BulkheadHandle) => number): Sample[] {
  return bulkheads.map((b) => ({ labels: { name: b.name }, value: read(b) }));
}
