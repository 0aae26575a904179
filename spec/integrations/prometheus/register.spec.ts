import { Counter, register as defaultRegistry, Registry, type OpenMetricsContentType } from 'prom-client';
import { circuitBreaker, isPolicyConfigError, ManualClock, PolicyConfigError, retry } from '../../../lib/index.js';
import { registerPrometheusMetrics } from '../../../lib/integrations/prometheus/index.js';
import { parseExposition, valueOf } from './exposition-parser.js';

// Registering, unregistering, options and what the exporter costs a call when it is not there.

const EXPECTED_NAMES = [
  'circuitbreaker_state',
  'circuitbreaker_calls_seconds',
  'circuitbreaker_calls_seconds_max',
  'circuitbreaker_not_permitted_calls_total',
  'circuitbreaker_store_events_total',
  'circuitbreaker_failure_rate',
  'circuitbreaker_slow_call_rate',
  'circuitbreaker_slow_calls',
  'circuitbreaker_buffered_calls',
  'retry_calls_total',
  'bulkhead_available_concurrent_calls',
  'bulkhead_max_allowed_concurrent_calls',
  'bulkhead_queue_depth',
  'bulkhead_queue_capacity',
  'bulkhead_rejected_calls_total',
  'timelimiter_calls_total',
  'fallback_calls_total',
];

const names = (registry: Registry<OpenMetricsContentType> | Registry): string[] =>
  registry.getMetricsAsArray().map((m) => m.name);

async function notPermitted(registry: Registry, name: string): Promise<number | undefined> {
  const e = parseExposition(await registry.metrics());
  return valueOf(e, 'breakwater_circuitbreaker_not_permitted_calls_total', { name });
}

describe('registerPrometheusMetrics', () => {
  it('registers exactly its metrics, under the breakwater_ prefix, and no default metrics', () => {
    const registry = new Registry();
    const metrics = registerPrometheusMetrics({ registry });
    expect(names(registry)).toEqual(EXPECTED_NAMES.map((n) => `breakwater_${n}`));
    metrics.unregister();
  });

  it("uses Resilience4j's names with prefix 'resilience4j'", async () => {
    const registry = new Registry();
    const metrics = registerPrometheusMetrics({ registry, prefix: 'resilience4j' });
    circuitBreaker({ name: 'r4j.names' });
    expect(names(registry)).toEqual(EXPECTED_NAMES.map((n) => `resilience4j_${n}`));
    const e = parseExposition(await registry.metrics());
    expect(valueOf(e, 'resilience4j_circuitbreaker_state', { name: 'r4j.names', state: 'closed' })).toBe(1);
    metrics.unregister();
  });

  it("uses prom-client's default registry when none is given, and takes nothing else with it", () => {
    const before = names(defaultRegistry);
    const metrics = registerPrometheusMetrics();
    expect(names(defaultRegistry)).toEqual([...before, ...EXPECTED_NAMES.map((n) => `breakwater_${n}`)]);
    expect(names(defaultRegistry).some((n) => n.startsWith('process_') || n.startsWith('nodejs_'))).toBe(false);
    metrics.unregister();
    expect(names(defaultRegistry)).toEqual(before);
  });

  it('refuses a second registration on the same registry with a clear error, and leaves the first working', async () => {
    const registry = new Registry();
    const first = registerPrometheusMetrics({ registry });
    let error: unknown;
    try {
      registerPrometheusMetrics({ registry });
    } catch (e) {
      error = e;
    }
    expect(isPolicyConfigError(error)).toBe(true);
    expect((error as PolicyConfigError).message).toMatch(
      /registerPrometheusMetrics: registry must be a registry without metrics of these names .*breakwater_circuitbreaker_state/,
    );
    const breaker = circuitBreaker({ name: 'prom.twice', failureThreshold: 1 });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    await breaker.execute(async () => 'not run').catch(() => undefined);
    expect(await notPermitted(registry, 'prom.twice')).toBe(1); // counted once, by the first
    first.unregister();
    const again = registerPrometheusMetrics({ registry });
    expect(names(registry)).toHaveLength(EXPECTED_NAMES.length);
    again.unregister();
  });

  it('keeps two registries independent; another prefix on the same registry is a separate set', async () => {
    const a = new Registry();
    const b = new Registry();
    const onA = registerPrometheusMetrics({ registry: a });
    const onB = registerPrometheusMetrics({ registry: b });
    const onAtoo = registerPrometheusMetrics({ registry: a, prefix: 'resilience4j' });
    const breaker = circuitBreaker({ name: 'prom.two', failureThreshold: 1 });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    await breaker.execute(async () => 'not run').catch(() => undefined);
    onB.unregister();
    await breaker.execute(async () => 'not run').catch(() => undefined);
    expect(await notPermitted(a, 'prom.two')).toBe(2);
    expect(names(b)).toEqual([]);
    const r4j = parseExposition(await a.metrics());
    expect(valueOf(r4j, 'resilience4j_circuitbreaker_not_permitted_calls_total', { name: 'prom.two' })).toBe(2);
    onA.unregister();
    onAtoo.unregister();
  });

  it('unregisters everything, once, and leaves a metric registered later under one of its names alone', () => {
    const registry = new Registry();
    const metrics = registerPrometheusMetrics({ registry });
    metrics.unregister();
    expect(names(registry)).toEqual([]);
    const mine = new Counter({ name: 'breakwater_retry_calls_total', help: 'mine', registers: [registry] });
    metrics.unregister();
    expect(registry.getSingleMetric('breakwater_retry_calls_total')).toBe(mine);
  });

  it('costs a call nothing once unregistered: no event is built, no clock is read', async () => {
    const clock = new ManualClock();
    const reads = jest.spyOn(clock, 'monotonic');
    const breaker = circuitBreaker({ name: 'prom.cost', clock });
    const policy = retry({ clock, delay: 0 });
    const run = async (): Promise<void> => {
      await breaker.execute(async () => 'ok');
      await policy.execute(async () => 'ok');
    };
    await run();
    expect(reads).not.toHaveBeenCalled();
    const metrics = registerPrometheusMetrics({ registry: new Registry() });
    await run();
    expect(reads).toHaveBeenCalled();
    metrics.unregister();
    reads.mockClear();
    await run();
    expect(reads).not.toHaveBeenCalled();
  });

  it('stops counting once unregistered', async () => {
    const registry = new Registry();
    const metrics = registerPrometheusMetrics({ registry });
    const breaker = circuitBreaker({ name: 'prom.stop', failureThreshold: 1 });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    await breaker.execute(async () => 'not run').catch(() => undefined);
    const before = await notPermitted(registry, 'prom.stop');
    metrics.unregister();
    await breaker.execute(async () => 'not run').catch(() => undefined);
    const again = registerPrometheusMetrics({ registry });
    expect(before).toBe(1);
    expect(await notPermitted(registry, 'prom.stop')).toBeUndefined(); // a fresh exporter starts from zero
    again.unregister();
  });

  it('rejects bad options all at once, naming each field', () => {
    let error: unknown;
    try {
      registerPrometheusMetrics({
        registry: {} as Registry,
        prefix: '1bad-prefix',
        buckets: [1, 0.5],
        ...({ prefx: 'typo' } as object),
      });
    } catch (e) {
      error = e;
    }
    expect(isPolicyConfigError(error)).toBe(true);
    expect((error as PolicyConfigError).issues.map((i) => i.field).sort()).toEqual([
      'buckets',
      'prefix',
      'prefx',
      'registry',
    ]);
    expect(() => registerPrometheusMetrics('breakwater' as never)).toThrow(PolicyConfigError);
    expect(() => registerPrometheusMetrics({ buckets: [] })).toThrow(/buckets must be a non-empty array/);
    expect(() => registerPrometheusMetrics({ buckets: [0.1, Number.NaN] })).toThrow(/buckets/);
  });

  it('uses custom buckets', async () => {
    const registry = new Registry();
    const metrics = registerPrometheusMetrics({ registry, buckets: [0.5, 1] });
    const breaker = circuitBreaker({ name: 'prom.buckets' });
    await breaker.execute(async () => 'ok');
    const e = parseExposition(await registry.metrics());
    const les = e.samples
      .filter((s) => s.metric === 'breakwater_circuitbreaker_calls_seconds_bucket' && s.labels.name === 'prom.buckets')
      .map((s) => s.labels.le);
    expect(les).toEqual(['0.5', '1', '+Inf']);
    metrics.unregister();
  });

  it('works with an OpenMetrics registry, JSON export and resetMetrics()', async () => {
    const registry = new Registry<OpenMetricsContentType>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const metrics = registerPrometheusMetrics({ registry });
    const breaker = circuitBreaker({ name: 'prom.open', failureThreshold: 1 });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    await breaker.execute(async () => 'not run').catch(() => undefined);
    for (let i = 0; i < 2; i++) {
      const text = await registry.metrics();
      expect(text).toContain('# TYPE breakwater_circuitbreaker_not_permitted_calls counter');
      expect(text).toContain(
        'breakwater_circuitbreaker_not_permitted_calls_total{name="prom.open",kind="not_permitted"} 1',
      );
      expect(text.endsWith('# EOF\n')).toBe(true);
    }
    const json = await registry.getMetricsAsJSON();
    const state = json.find((m) => m.name === 'breakwater_circuitbreaker_state');
    expect(state?.values).toContainEqual({ labels: { name: 'prom.open', state: 'open' }, value: 1 });
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('breakwater_circuitbreaker_not_permitted_calls_total{');
    metrics.unregister();
    expect(names(registry)).toEqual([]);
  });
});
