import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Registry } from 'prom-client';
import {
  bulkhead,
  circuitBreaker,
  CircuitBreaker,
  fallback,
  ManualClock,
  Retry,
  setClock,
  systemClock,
  timeout,
  Timeout,
} from '../../../lib/index.js';
import { registerPrometheusMetrics, type PrometheusMetricsHandle } from '../../../lib/integrations/prometheus/index.js';
import { deferred, flushMicrotasks } from '../../support/async.js';
import { parseExposition, samplesOf, valueOf, type Exposition } from './exposition-parser.js';

// Every metric the exporter registers, read back from a real prom-client registry's exposition.

const cb = 'breakwater_circuitbreaker';
let clock: ManualClock;
let registry: Registry;
let metrics: PrometheusMetricsHandle;

beforeEach(() => {
  clock = new ManualClock({ now: 1_700_000_000_000 });
  setClock(clock);
  registry = new Registry();
  metrics = registerPrometheusMetrics({ registry });
});

afterEach(() => {
  metrics.unregister();
  setClock(systemClock);
});

async function scrape(): Promise<Exposition> {
  return parseExposition(await registry.metrics());
}

/** Runs `fn` through `policy`, letting `ms` pass on the clock before it settles; never throws. */
async function call(
  policy: { execute(fn: () => Promise<unknown>): Promise<unknown> },
  ms: number,
  outcome: unknown,
): Promise<void> {
  const work = deferred<unknown>();
  const done = policy.execute(() => work.promise).catch(() => undefined);
  clock.advance(ms);
  if (outcome instanceof Error) work.reject(outcome);
  else work.resolve(outcome);
  await done;
  await flushMicrotasks();
}

describe('the Prometheus exporter: circuit breakers', () => {
  it('reports the state as 0/1 per state, for a breaker created after registering, through every transition', async () => {
    const breaker = circuitBreaker({ name: 'prom.state', failureThreshold: 1, resetTimeout: 1_000 });
    const state = async (): Promise<Record<string, number>> =>
      Object.fromEntries(samplesOf(await scrape(), `${cb}_state`, 'prom.state').map((s) => [s.labels.state, s.value]));
    expect(await state()).toEqual({ closed: 1, open: 0, half_open: 0, forced_open: 0, disabled: 0 });
    await call(breaker, 1, new Error('down'));
    expect(await state()).toMatchObject({ closed: 0, open: 1 });
    clock.advance(1_000);
    const probe = deferred<string>();
    const probing = breaker.execute(() => probe.promise);
    expect(await state()).toMatchObject({ open: 0, half_open: 1 });
    probe.resolve('ok');
    await probing;
    breaker.forceOpen();
    expect(await state()).toMatchObject({ half_open: 0, forced_open: 1 });
    breaker.disable();
    expect(await state()).toMatchObject({ forced_open: 0, disabled: 1 });
    breaker.reset();
    expect(await state()).toEqual({ closed: 1, open: 0, half_open: 0, forced_open: 0, disabled: 0 });
    expect((await scrape()).types[`${cb}_state`]).toBe('gauge');
  });

  it('records call durations in seconds by outcome (successful, failed, ignored), with the recent maximum', async () => {
    const breaker = circuitBreaker({
      name: 'prom.calls',
      failureThreshold: 10,
      failurePredicate: (e) => !(e instanceof TypeError),
    });
    await call(breaker, 30, 'ok');
    await call(breaker, 2_000, new Error('slow failure'));
    await call(breaker, 5, new TypeError('not counted'));
    const e = await scrape();
    const h = `${cb}_calls_seconds`;
    expect(e.types[h]).toBe('histogram');
    expect(valueOf(e, `${h}_count`, { name: 'prom.calls', kind: 'successful' })).toBe(1);
    expect(valueOf(e, `${h}_sum`, { name: 'prom.calls', kind: 'successful' })).toBeCloseTo(0.03);
    expect(valueOf(e, `${h}_bucket`, { name: 'prom.calls', kind: 'successful', le: '0.025' })).toBe(0);
    expect(valueOf(e, `${h}_bucket`, { name: 'prom.calls', kind: 'successful', le: '0.05' })).toBe(1);
    expect(valueOf(e, `${h}_bucket`, { name: 'prom.calls', kind: 'failed', le: '1' })).toBe(0);
    expect(valueOf(e, `${h}_bucket`, { name: 'prom.calls', kind: 'failed', le: '2.5' })).toBe(1);
    expect(valueOf(e, `${h}_bucket`, { name: 'prom.calls', kind: 'failed', le: '+Inf' })).toBe(1);
    expect(valueOf(e, `${h}_count`, { name: 'prom.calls', kind: 'ignored' })).toBe(1);
    expect(valueOf(e, `${h}_sum`, { name: 'prom.calls', kind: 'ignored' })).toBeCloseTo(0.005);
    expect(valueOf(e, `${h}_max`, { name: 'prom.calls', kind: 'failed' })).toBe(2);
    expect(valueOf(e, `${h}_max`, { name: 'prom.calls', kind: 'successful' })).toBeCloseTo(0.03);
    clock.advance(121_000);
    expect(valueOf(await scrape(), `${h}_max`, { name: 'prom.calls', kind: 'failed' })).toBe(0);
    expect(valueOf(await scrape(), `${h}_count`, { name: 'prom.calls', kind: 'failed' })).toBe(1);
  });

  it('counts rejected calls as not permitted', async () => {
    const breaker = circuitBreaker({ name: 'prom.rejected', failureThreshold: 1 });
    await call(breaker, 1, new Error('down'));
    await call(breaker, 0, 'not run');
    await call(breaker, 0, 'not run');
    const e = await scrape();
    expect(e.types[`${cb}_not_permitted_calls_total`]).toBe('counter');
    expect(valueOf(e, `${cb}_not_permitted_calls_total`, { name: 'prom.rejected', kind: 'not_permitted' })).toBe(2);
  });

  it('reports rates in % (-1 below minimumCalls) and the window by kind, as Resilience4j does', async () => {
    const breaker = circuitBreaker({
      name: 'prom.rates',
      failureRateThreshold: 1,
      slowCallDuration: 100,
      minimumCalls: 4,
    });
    await call(breaker, 10, 'fast');
    await call(breaker, 150, 'slow');
    let e = await scrape();
    expect(valueOf(e, `${cb}_failure_rate`, { name: 'prom.rates' })).toBe(-1);
    expect(valueOf(e, `${cb}_slow_call_rate`, { name: 'prom.rates' })).toBe(-1);
    await call(breaker, 150, new Error('slow failure'));
    await call(breaker, 10, 'fast');
    e = await scrape();
    expect(valueOf(e, `${cb}_failure_rate`, { name: 'prom.rates' })).toBe(25);
    expect(valueOf(e, `${cb}_slow_call_rate`, { name: 'prom.rates' })).toBe(50);
    expect(valueOf(e, `${cb}_slow_calls`, { name: 'prom.rates', kind: 'successful' })).toBe(1);
    expect(valueOf(e, `${cb}_slow_calls`, { name: 'prom.rates', kind: 'failed' })).toBe(1);
    expect(valueOf(e, `${cb}_buffered_calls`, { name: 'prom.rates', kind: 'successful' })).toBe(3);
    expect(valueOf(e, `${cb}_buffered_calls`, { name: 'prom.rates', kind: 'failed' })).toBe(1);
  });

  it('picks up breakers that existed before it was registered', async () => {
    const early = circuitBreaker({ name: 'prom.early', failureThreshold: 1 });
    await call(early, 1, new Error('down'));
    const other = new Registry();
    const late = registerPrometheusMetrics({ registry: other });
    try {
      const e = parseExposition(await other.metrics());
      expect(valueOf(e, `${cb}_state`, { name: 'prom.early', state: 'open' })).toBe(1);
    } finally {
      late.unregister();
    }
  });

  it('drops the series of a per-instance breaker once its object is gone', async () => {
    class Tenant {
      @CircuitBreaker({ name: 'prom.tenant', scope: 'instance', failureThreshold: 1 })
      async call(): Promise<never> {
        throw new Error('down');
      }
    }
    let tenant: Tenant | undefined = new Tenant();
    await tenant.call().catch(() => undefined);
    await tenant.call().catch(() => undefined);
    let e = await scrape();
    const names = e.samples.filter((s) => s.labels.name?.startsWith('prom.tenant#')).map((s) => s.labels.name);
    expect(new Set(names).size).toBe(1);
    const instanceName = names[0]!;
    expect(valueOf(e, `${cb}_not_permitted_calls_total`, { name: instanceName })).toBe(1);
    tenant = undefined;
    await collectGarbage();
    e = await scrape();
    expect(e.samples.filter((s) => s.labels.name === instanceName)).toEqual([]);
  });
});

/** A full collection, then a turn of the event loop so that WeakRefs to the collected objects clear. */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describe('the Prometheus exporter: retry, timeout, bulkhead, fallback', () => {
  it("counts retry calls by Resilience4j's four kinds, under the decorated method's name", async () => {
    class PromRetried {
      attempts = 0;
      @Retry({ maxAttempts: 2, delay: 0, retryOn: (e) => !(e instanceof TypeError) })
      async call(failures: number, error: Error = new Error('down')): Promise<string> {
        this.attempts++;
        if (this.attempts <= failures) throw error;
        return 'ok';
      }
    }
    const run = async (failures: number, error?: Error): Promise<void> => {
      const target = new PromRetried();
      await target.call(failures, error).catch(() => undefined);
    };
    await run(0);
    await run(0);
    await run(1);
    await run(5);
    await run(1, new TypeError('not retried'));
    const e = await scrape();
    const kind = (k: string) => valueOf(e, 'breakwater_retry_calls_total', { name: 'PromRetried.call', kind: k });
    expect([
      kind('successful_without_retry'),
      kind('successful_with_retry'),
      kind('failed_with_retry'),
      kind('failed_without_retry'),
    ]).toEqual([2, 1, 1, 1]);
  });

  it('counts timeouts by kind (successful, failed, timeout)', async () => {
    class PromTimed {
      @Timeout(100)
      async call(work: () => Promise<string>): Promise<string> {
        return work();
      }
    }
    const target = new PromTimed();
    await target.call(async () => 'ok');
    await target.call(() => Promise.reject(new Error('down'))).catch(() => undefined);
    const late = target.call(() => new Promise<string>(() => undefined)).catch(() => undefined);
    clock.advance(100);
    await late;
    const policy = timeout(50);
    await policy.execute(async () => 'ok');
    const e = await scrape();
    const kind = (name: string, k: string) => valueOf(e, 'breakwater_timelimiter_calls_total', { name, kind: k });
    expect([
      kind('PromTimed.call', 'successful'),
      kind('PromTimed.call', 'failed'),
      kind('PromTimed.call', 'timeout'),
    ]).toEqual([1, 1, 1]);
    expect(kind('timeout', 'successful')).toBe(1);
  });

  it('reads bulkhead use at scrape time and counts its rejections by reason', async () => {
    const db = bulkhead({ name: 'prom.db', maxConcurrent: 2, maxQueue: 1, queueTimeout: 500 });
    const gates = [deferred(), deferred(), deferred()];
    const running = gates.map((g) => db.execute(() => g.promise).catch(() => undefined));
    await flushMicrotasks();
    await db.execute(async () => 'refused').catch(() => undefined);
    let e = await scrape();
    const gauge = (metric: string) => valueOf(e, `breakwater_bulkhead_${metric}`, { name: 'prom.db' });
    expect([
      gauge('available_concurrent_calls'),
      gauge('max_allowed_concurrent_calls'),
      gauge('queue_depth'),
      gauge('queue_capacity'),
    ]).toEqual([0, 2, 1, 1]);
    clock.advance(500); // the queued call times out
    await flushMicrotasks();
    e = await scrape();
    const rejected = (kind: string) =>
      valueOf(e, 'breakwater_bulkhead_rejected_calls_total', { name: 'prom.db', kind });
    expect([rejected('full'), rejected('queue_timeout')]).toEqual([1, 1]);
    gates.forEach((g) => g.resolve());
    await Promise.all(running);
    e = await scrape();
    expect(gauge('available_concurrent_calls')).toBe(2);
    expect(gauge('queue_depth')).toBe(0);
  });

  it('counts fallbacks', async () => {
    const policy = fallback(() => 'cached');
    await policy.execute(() => Promise.reject(new Error('down')));
    await policy.execute(() => Promise.reject(new Error('down')));
    expect(valueOf(await scrape(), 'breakwater_fallback_calls_total', { name: 'fallback' })).toBe(2);
  });
});
