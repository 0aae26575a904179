import { metrics as otelMetrics } from '@opentelemetry/api';
import {
  bulkhead,
  circuitBreaker,
  compose,
  fallback,
  isPolicyConfigError,
  ManualClock,
  retry,
  setClock,
  systemClock,
  timeout,
  type PolicyConfigError,
} from '../../../lib/index.js';
import {
  registerOpenTelemetryMetrics,
  type OpenTelemetryMetricsHandle,
} from '../../../lib/integrations/opentelemetry/index.js';
import { deferred, flushMicrotasks } from '../../support/async.js';
import { pointsOf, testSdk, valueOf, type HistogramValue, type TestSdk } from './sdk.js';

// The OpenTelemetry exporter against a real SDK MeterProvider: every instrument, its attributes
// (Polly v8's shape), future policies, unregistering.

let clock: ManualClock;
let sdk: TestSdk;
let telemetry: OpenTelemetryMetricsHandle;

beforeEach(() => {
  clock = new ManualClock({ now: 1_700_000_000_000 });
  setClock(clock);
  sdk = testSdk();
  telemetry = registerOpenTelemetryMetrics({ meterProvider: sdk.provider });
});

afterEach(async () => {
  telemetry.unregister();
  setClock(systemClock);
  await sdk.shutdown();
});

async function call(policy: { execute(fn: () => Promise<unknown>): Promise<unknown> }, ms: number, outcome: unknown) {
  const work = deferred<unknown>();
  const done = policy.execute(() => work.promise).catch(() => undefined);
  clock.advance(ms);
  if (outcome instanceof Error) work.reject(outcome);
  else work.resolve(outcome);
  await done;
  await flushMicrotasks();
}

const EVENTS = 'breakwater.strategy.events';

describe('the OpenTelemetry exporter', () => {
  it('counts resilience events with Polly-shaped attributes', async () => {
    const breaker = circuitBreaker({ name: 'otel.payments', failureThreshold: 1 });
    await call(breaker, 1, new Error('down'));
    await call(breaker, 0, 'not run');
    await call(breaker, 0, 'not run');
    const collected = await sdk.collect();
    expect(
      valueOf(collected, EVENTS, {
        'event.name': 'rejected',
        'event.severity': 'Error',
        'pipeline.name': 'otel.payments',
        'strategy.name': 'circuitBreaker',
        'circuit_breaker.state': 'open',
      }),
    ).toBe(2);
    expect(
      valueOf(collected, EVENTS, {
        'event.name': 'state_change',
        'event.severity': 'Error',
        'pipeline.name': 'otel.payments',
        'circuit_breaker.state': 'open',
      }),
    ).toBe(1);
    const descriptor = collected.find((m) => m.descriptor.name === EVENTS)?.descriptor;
    expect(descriptor?.unit).toBe('{event}');
  });

  it('counts retries, fallbacks, timeouts and bulkhead rejections, with the exception type and never its message', async () => {
    const flaky = retry({ delay: 0, maxAttempts: 2 });
    let n = 0;
    await flaky.execute(async () => {
      if (n++ === 0) throw new TypeError('secret 4111');
      return 'ok';
    });
    await fallback(() => 'cached').execute(() => Promise.reject(new RangeError('x')));
    await call(timeout(100), 100, 'late');
    const db = bulkhead({ name: 'otel.db', maxConcurrent: 1 });
    const gate = deferred();
    const holding = db.execute(() => gate.promise);
    await db.execute(async () => 'refused').catch(() => undefined);
    gate.resolve();
    await holding;
    const collected = await sdk.collect();
    expect(
      valueOf(collected, EVENTS, {
        'event.name': 'retry',
        'event.severity': 'Warning',
        'pipeline.name': 'retry',
        'strategy.name': 'retry',
        'exception.type': 'TypeError',
      }),
    ).toBe(1);
    expect(valueOf(collected, EVENTS, { 'event.name': 'fallback', 'exception.type': 'RangeError' })).toBe(1);
    expect(valueOf(collected, EVENTS, { 'event.name': 'timeout', 'event.severity': 'Error' })).toBe(1);
    expect(
      valueOf(collected, EVENTS, {
        'event.name': 'bulkhead_rejected',
        'pipeline.name': 'otel.db',
        'strategy.name': 'bulkhead',
        'bulkhead.reason': 'full',
      }),
    ).toBe(1);
    const allValues = collected.flatMap((m) => m.dataPoints.flatMap((p) => Object.values(p.attributes)));
    expect(allValues.filter((v) => String(v).includes('4111'))).toEqual([]);
  });

  it('records call durations in ms, for breakers and retries, by outcome', async () => {
    const breaker = circuitBreaker({ name: 'otel.calls', failureThreshold: 10 });
    await call(breaker, 30, 'ok');
    await call(breaker, 70, 'ok');
    await call(breaker, 2_000, new Error('down'));
    await call(retry({ delay: 0, maxAttempts: 1 }), 5, 'ok');
    const collected = await sdk.collect();
    const ok = valueOf(collected, 'breakwater.call.duration', {
      'pipeline.name': 'otel.calls',
      'strategy.name': 'circuitBreaker',
      outcome: 'success',
    }) as HistogramValue;
    expect([ok.count, ok.sum, ok.min, ok.max]).toEqual([2, 100, 30, 70]);
    const failed = valueOf(collected, 'breakwater.call.duration', {
      'pipeline.name': 'otel.calls',
      outcome: 'failure',
      'exception.type': 'Error',
    }) as HistogramValue;
    expect(failed.sum).toBe(2_000);
    const retried = valueOf(collected, 'breakwater.call.duration', { 'strategy.name': 'retry' }) as HistogramValue;
    expect([retried.count, retried.sum]).toEqual([1, 5]);
    expect(collected.find((m) => m.descriptor.name === 'breakwater.call.duration')?.descriptor.unit).toBe('ms');
  });

  it('records attempt durations under a timeout: success, failure, and the limit for a timeout', async () => {
    const policy = timeout(100);
    await call(policy, 20, 'ok');
    await call(policy, 40, new Error('down'));
    await call(policy, 100, 'too late');
    const collected = await sdk.collect();
    const attempt = (outcome: string) =>
      valueOf(collected, 'breakwater.attempt.duration', {
        'pipeline.name': 'timeout',
        'strategy.name': 'timeout',
        outcome,
      }) as HistogramValue;
    expect(attempt('success').sum).toBe(20);
    expect(attempt('failure').sum).toBe(40);
    expect(attempt('timeout').sum).toBe(100);
  });

  it('observes breaker state, rates and bulkhead use when collected, for breakers created after registering', async () => {
    const breaker = circuitBreaker({ name: 'otel.gauges', failureRateThreshold: 1, minimumCalls: 4 });
    await call(breaker, 1, 'ok');
    await call(breaker, 1, new Error('down'));
    const db = bulkhead({ name: 'otel.pool', maxConcurrent: 2, maxQueue: 5 });
    const gates = [deferred(), deferred(), deferred()];
    const running = gates.map((g) => db.execute(() => g.promise));
    await flushMicrotasks();
    let collected = await sdk.collect();
    const state = (s: string) =>
      valueOf(collected, 'breakwater.circuit_breaker.state', {
        'pipeline.name': 'otel.gauges',
        'circuit_breaker.state': s,
      });
    expect([state('closed'), state('open'), state('half_open'), state('forced_open'), state('disabled')]).toEqual([
      1, 0, 0, 0, 0,
    ]);
    expect(valueOf(collected, 'breakwater.circuit_breaker.failure_rate', { 'pipeline.name': 'otel.gauges' })).toBe(0.5);
    expect(valueOf(collected, 'breakwater.circuit_breaker.slow_call_rate', { 'pipeline.name': 'otel.gauges' })).toBe(0);
    const pool = (name: string) => valueOf(collected, `breakwater.bulkhead.${name}`, { 'pipeline.name': 'otel.pool' });
    expect([pool('active'), pool('queued'), pool('limit')]).toEqual([2, 1, 2]);
    breaker.forceOpen();
    gates.forEach((g) => g.resolve());
    await Promise.all(running);
    collected = await sdk.collect();
    expect(state('forced_open')).toBe(1);
    expect([pool('active'), pool('queued')]).toEqual([0, 0]);
  });

  it('stops recording and observing once unregistered, and then costs calls nothing', async () => {
    const breaker = circuitBreaker({ name: 'otel.stop', failureThreshold: 1 });
    await call(breaker, 1, new Error('down'));
    await call(breaker, 0, 'not run');
    telemetry.unregister();
    telemetry.unregister();
    await call(breaker, 0, 'not run');
    const collected = await sdk.collect();
    expect(valueOf(collected, EVENTS, { 'event.name': 'rejected', 'pipeline.name': 'otel.stop' })).toBe(1);
    expect(pointsOf(collected, 'breakwater.circuit_breaker.state', { 'pipeline.name': 'otel.stop' })).toEqual([]);
    const quiet = new ManualClock();
    const reads = jest.spyOn(quiet, 'monotonic');
    await compose(circuitBreaker({ clock: quiet }), retry({ clock: quiet })).execute(async () => 'ok');
    expect(reads).not.toHaveBeenCalled();
  });

  it('uses the global MeterProvider by default', async () => {
    const global = testSdk();
    otelMetrics.setGlobalMeterProvider(global.provider);
    const viaGlobal = registerOpenTelemetryMetrics();
    try {
      const breaker = circuitBreaker({ name: 'otel.global', failureThreshold: 1 });
      await call(breaker, 1, new Error('down'));
      const collected = await global.collect();
      expect(valueOf(collected, EVENTS, { 'event.name': 'state_change', 'pipeline.name': 'otel.global' })).toBe(1);
    } finally {
      viaGlobal.unregister();
      otelMetrics.disable();
      await global.shutdown();
    }
  });

  it('rejects bad options all at once', () => {
    let error: unknown;
    try {
      registerOpenTelemetryMetrics({
        meterProvider: {} as never,
        spanEvents: 'yes' as never,
        ...({ meter: 1 } as object),
      });
    } catch (e) {
      error = e;
    }
    expect(isPolicyConfigError(error)).toBe(true);
    expect((error as PolicyConfigError).issues.map((i) => i.field).sort()).toEqual([
      'meter',
      'meterProvider',
      'spanEvents',
    ]);
    expect(() => registerOpenTelemetryMetrics(null as never)).toThrow(/options must be an object/);
  });
});
