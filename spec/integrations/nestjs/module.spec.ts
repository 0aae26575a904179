import { Injectable, Module, Scope, type INestApplication } from '@nestjs/common';
import { ContextIdFactory, NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import {
  CircuitBreaker,
  Fallback,
  getClock,
  Retry,
  isCircuitOpenError,
  isPolicyConfigError,
  ManualClock,
  systemClock,
  type CircuitStateChange,
} from '../../../lib/index.js';
import { BreakwaterModule, BreakwaterRegistry } from '../../../lib/integrations/nestjs/index.js';
import { registerPrometheusMetrics } from '../../../lib/integrations/prometheus/index.js';

// BreakwaterModule in real Nest containers: a testing module for the providers and the clock, and
// an Express application on a loopback port for what it serves. Nest's decorators are applied as
// calls here, so that this file compiles in both decorator modes; breakwater's are written as usual.

let nextId = 0;
const unique = (base: string): string => `${base}-${String((nextId += 1))}`;

function failing(): Promise<never> {
  return Promise.reject(new Error('payments down'));
}

describe('BreakwaterModule', () => {
  it('provides the registry, which lists, finds, forces open and resets breakers of DI-created providers', async () => {
    const name = unique('nest-payments');
    class PaymentsClient {
      calls = 0;
      @CircuitBreaker({ name, failureThreshold: 2, resetTimeout: 60_000 })
      @Fallback('queued')
      async charge(amount: number): Promise<string> {
        this.calls += 1;
        return failing().then(() => `charged ${String(amount)}`);
      }
      queued(error: unknown, amount: number): string {
        return isCircuitOpenError(error) ? `queued ${String(amount)} (open)` : `queued ${String(amount)}`;
      }
    }
    Injectable()(PaymentsClient);
    const moduleRef = await Test.createTestingModule({
      imports: [BreakwaterModule.forRoot({})],
      providers: [PaymentsClient],
    }).compile();
    const registry = moduleRef.get(BreakwaterRegistry);
    const client = moduleRef.get(PaymentsClient);
    const changes: CircuitStateChange[] = [];
    const subscription = registry.stateChanges$.subscribe((c) => {
      if (c.name === name) changes.push(c);
    });
    try {
      expect(registry.list().map((b) => b.name)).toContain(name);
      expect(await client.charge(1)).toBe('queued 1');
      expect(await client.charge(2)).toBe('queued 2');
      expect(await client.charge(3)).toBe('queued 3 (open)');
      expect(client.calls).toBe(2);
      expect(registry.get(name)?.state).toBe('open');
      registry.reset(name);
      expect(registry.get(name)?.state).toBe('closed');
      registry.forceOpen(name);
      expect(registry.get(name)?.state).toBe('forced_open');
      expect(changes.map((c) => c.to)).toEqual(['open', 'closed', 'forced_open']);
      expect(() => registry.reset('no-such-breaker')).toThrow(/name must be the name of a registered breaker/);
      expect(registry.get('no-such-breaker')).toBeUndefined();
    } finally {
      subscription.unsubscribe();
      await moduleRef.close();
    }
  });

  it('sets its clock while the application runs and puts the previous one back on close', async () => {
    const clock = new ManualClock();
    const moduleRef = await Test.createTestingModule({ imports: [BreakwaterModule.forRoot({ clock })] }).compile();
    await moduleRef.init();
    expect(getClock()).toBe(clock);
    await moduleRef.close();
    expect(getClock()).toBe(systemClock);
  });

  it('gives the decorators of its providers its policy defaults while it runs', async () => {
    class LedgerClient {
      calls = 0;
      @Retry()
      async post(): Promise<never> {
        this.calls += 1;
        return failing();
      }
    }
    Injectable()(LedgerClient);
    const moduleRef = await Test.createTestingModule({
      imports: [BreakwaterModule.forRoot({ defaults: { retry: { maxAttempts: 4, delay: 0 } } })],
      providers: [LedgerClient],
    }).compile();
    const client = moduleRef.get(LedgerClient);
    await expect(client.post()).rejects.toThrow('payments down');
    expect(client.calls).toBe(4);
    await moduleRef.close();
    // Closed: a class whose retry is created now gets the built-in three attempts.
    class Fresh {
      calls = 0;
      @Retry({ delay: 0 })
      async post(): Promise<never> {
        this.calls += 1;
        return failing();
      }
    }
    const fresh = new Fresh();
    await expect(fresh.post()).rejects.toThrow('payments down');
    expect(fresh.calls).toBe(3);
    await expect(
      Test.createTestingModule({
        imports: [BreakwaterModule.forRoot({ defaults: { retry: { maxAttempts: 0 } } })],
      }).compile(),
    ).rejects.toThrow(/setPolicyDefaults\(\).*retry\.maxAttempts must be an integer/);
  });

  it('takes its options from forRootAsync, checked when the factory has returned them', async () => {
    const clock = new ManualClock();
    const ok = await Test.createTestingModule({
      imports: [BreakwaterModule.forRootAsync({ useFactory: () => Promise.resolve({ clock }) })],
    }).compile();
    await ok.init();
    expect(getClock()).toBe(clock);
    await ok.close();
    await expect(
      Test.createTestingModule({
        imports: [BreakwaterModule.forRootAsync({ useFactory: () => ({ clock: Date }) as never })],
      }).compile(),
    ).rejects.toThrow(/clock must be a Clock/);
  });

  it('rejects bad options where forRoot is called, naming each', () => {
    let error: unknown;
    try {
      BreakwaterModule.forRoot({ dashboard: { path: 'ops/' }, metrics: { registry: {} as never }, colour: 1 } as never);
    } catch (caught) {
      error = caught;
    }
    expect(isPolicyConfigError(error)).toBe(true);
    expect(String(error)).toMatch(/BreakwaterModule\.forRoot\(\)/);
    expect((error as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual([
      'colour',
      'dashboard.path',
      'metrics.registry',
    ]);
  });

  it('is global with isGlobal: a feature module injects the registry without importing the module', async () => {
    class Feature {
      constructor(readonly breakers: BreakwaterRegistry) {}
    }
    Injectable()(Feature);
    Reflect.defineMetadata('design:paramtypes', [BreakwaterRegistry], Feature);
    class FeatureModule {}
    Module({ providers: [Feature] })(FeatureModule);
    const moduleRef = await Test.createTestingModule({
      imports: [BreakwaterModule.forRoot({ isGlobal: true }), FeatureModule],
    }).compile();
    expect(moduleRef.get(Feature).breakers).toBeInstanceOf(BreakwaterRegistry);
    await moduleRef.close();
  });

  it('request-scoped providers: a shared breaker is one for every request, scope "instance" one per request object', async () => {
    const shared = unique('nest-shared');
    class PerRequestClient {
      @CircuitBreaker({ name: shared, failureThreshold: 1 })
      async sharedCall(): Promise<string> {
        return failing();
      }
      @CircuitBreaker({ scope: 'instance', failureThreshold: 1 })
      async ownCall(): Promise<string> {
        return failing();
      }
    }
    Injectable({ scope: Scope.REQUEST })(PerRequestClient);
    const moduleRef = await Test.createTestingModule({ providers: [PerRequestClient] }).compile();
    try {
      const first = await moduleRef.resolve(PerRequestClient, ContextIdFactory.create());
      const second = await moduleRef.resolve(PerRequestClient, ContextIdFactory.create());
      expect(first).not.toBe(second);
      await expect(first.sharedCall()).rejects.toThrow('payments down');
      // The second request's object meets the breaker the first request opened.
      await expect(second.sharedCall()).rejects.toMatchObject({ code: 'ERR_CIRCUIT_OPEN' });
      await expect(first.ownCall()).rejects.toThrow('payments down');
      await expect(first.ownCall()).rejects.toMatchObject({ code: 'ERR_CIRCUIT_OPEN' });
      // Its own breaker: the first request's failure did not open it.
      await expect(second.ownCall()).rejects.toThrow('payments down');
    } finally {
      await moduleRef.close();
    }
  });
});

describe('BreakwaterModule in an HTTP application', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(options: Parameters<typeof BreakwaterModule.forRoot>[0]): Promise<string> {
    class AppModule {}
    Module({ imports: [BreakwaterModule.forRoot(options)] })(AppModule);
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  it('serves the dashboard and the metrics registry at their paths, and nothing else of its own', async () => {
    const registry = new Registry();
    const metrics = registerPrometheusMetrics({ registry });
    try {
      const url = await start({ dashboard: { path: '/ops/breakwater', title: 'orders' }, metrics: { registry } });
      const page = await fetch(`${url}/ops/breakwater/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<h1>orders</h1>');
      const scraped = await fetch(`${url}/metrics`);
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toBe(registry.contentType);
      expect(await scraped.text()).toContain('# TYPE breakwater_circuitbreaker_state gauge');
      expect((await fetch(`${url}/metrics/other`)).status).toBe(404);
      expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      metrics.unregister();
    }
  });

  it('serves nothing when neither is asked for', async () => {
    const url = await start({});
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  });
});
