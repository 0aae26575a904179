import { ConsecutiveFailures } from '../../../lib/policies/circuit-breaker/strategies/consecutive';
import { FailuresInWindow } from '../../../lib/policies/circuit-breaker/strategies/failure-window';
import { Judge } from '../../../lib/policies/circuit-breaker/strategies/judge';
import { RateThresholds } from '../../../lib/policies/circuit-breaker/strategies/rates';
import { resolveCircuitBreakerOptions } from '../../../lib/policies/circuit-breaker/validate-options';
import { CountWindow } from '../../../lib/policies/circuit-breaker/windows/count-window';
import { TimeWindow } from '../../../lib/policies/circuit-breaker/windows/time-window';

describe('ConsecutiveFailures', () => {
  it('opens after `threshold` failures in a row; a success starts over', () => {
    const s = new ConsecutiveFailures(3);
    expect([s.record(true), s.record(true), s.record(false), s.record(true), s.record(true)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(s.record(true)).toBe('failure_threshold');
    s.reset();
    expect(s.record(true)).toBeUndefined();
  });
});

describe('FailuresInWindow', () => {
  it('opens when the oldest of the last N failures is at most `window` ms old', () => {
    const s = new FailuresInWindow(3, 1000);
    expect(s.record(true, false, 0)).toBeUndefined();
    expect(s.record(false, false, 100)).toBeUndefined(); // successes do not reset the count
    expect(s.record(true, false, 500)).toBeUndefined();
    expect(s.record(true, false, 1001)).toBeUndefined(); // 0, 500, 1001: spans 1001 ms
    expect(s.record(true, false, 1500)).toBe('failure_threshold'); // 500, 1001, 1500: spans 1000 ms
  });

  it('forgets everything on reset', () => {
    const s = new FailuresInWindow(2, 1000);
    s.record(true, false, 0);
    s.reset();
    expect(s.record(true, false, 1)).toBeUndefined();
    expect(s.record(true, false, 2)).toBe('failure_threshold');
  });
});

describe('RateThresholds', () => {
  it('judges nothing before minimumCalls, then the failure rate first', () => {
    const w = new CountWindow(10);
    const s = new RateThresholds(w, 4, 0.5, 0.5);
    for (const failure of [true, true, true]) w.record(failure, true, 0);
    expect(s.record()).toBeUndefined();
    w.record(false, true, 0);
    expect(s.record()).toBe('failure_rate');
  });

  it('reaches a rate exactly (3 of 10 is 0.3)', () => {
    const w = new CountWindow(10);
    const s = new RateThresholds(w, 10, 0.3, undefined);
    for (let i = 0; i < 10; i++) w.record(i < 3, false, 0);
    expect(s.record()).toBe('failure_rate');
  });

  it('opens on the slow-call rate', () => {
    const w = new TimeWindow(1000, 20);
    const s = new RateThresholds(w, 2, undefined, 1);
    w.record(false, true, 0);
    w.record(false, true, 1);
    expect(s.record()).toBe('slow_call_rate');
  });
});

describe('Judge', () => {
  const judge = (raw: object): Judge => new Judge(resolveCircuitBreakerOptions('x', raw));

  it('names the first rule that trips', () => {
    const j = judge({ failureThreshold: 2, failureRateThreshold: 0.5, minimumCalls: 2 });
    expect(j.record(true, false, 0)).toBeUndefined();
    expect(j.record(true, false, 0)).toBe('failure_threshold');
  });

  it('applies only the rates when no threshold is given', () => {
    const j = judge({ failureRateThreshold: 1, minimumCalls: 6 });
    for (let i = 0; i < 5; i++) expect(j.record(true, false, 0)).toBeUndefined();
    expect(j.record(true, false, 0)).toBe('failure_rate');
  });

  it('reports rates over the window and clears them on reset', () => {
    const j = judge({ slidingWindow: { type: 'time', duration: 1000 }, slowCallDuration: 5 });
    j.record(true, true, 0);
    j.record(false, false, 10);
    expect(j.rates(20)).toEqual({ failureRate: 0.5, slowCallRate: 0.5 });
    expect(j.rates(5000)).toEqual({ failureRate: 0, slowCallRate: 0 });
    j.record(true, false, 5000);
    j.reset();
    expect(j.rates(5000)).toEqual({ failureRate: 0, slowCallRate: 0 });
  });
});
