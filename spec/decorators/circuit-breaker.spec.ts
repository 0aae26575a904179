import { ManualClock } from '../../lib/clock/manual-clock';
import { Bulkhead } from '../../lib/decorators/bulkhead';
import { CircuitBreaker } from '../../lib/decorators/circuit-breaker';
import { getPolicyMetadata } from '../../lib/decorators/get-policy-metadata';
import { Retry } from '../../lib/decorators/retry';
import { BulkheadFullError, isBulkheadFullError } from '../../lib/errors/bulkhead-full-error';
import { isCircuitOpenError } from '../../lib/errors/circuit-open-error';
import { isPolicyConfigError } from '../../lib/errors/policy-config-error';
import { circuitBreaker } from '../../lib/functional/circuit-breaker';
import { getCircuitBreaker, listCircuitBreakers } from '../../lib/policies/circuit-breaker/registry';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('@CircuitBreaker', () => {
  it('passes this, arguments and results through unchanged', async () => {
    class Greeter {
      constructor(readonly greeting: string) {}
      @CircuitBreaker({ name: 'dec-passthrough' })
      async greet(name: string, punctuation: string): Promise<{ text: string; self: Greeter }> {
        return { text: `${this.greeting}, ${name}${punctuation}`, self: this };
      }
    }
    const g = new Greeter('Hello');
    const result = await g.greet('Ada', '!');
    expect(result.text).toBe('Hello, Ada!');
    expect(result.self).toBe(g);
  });

  it('counts a synchronous throw as a failure and rethrows the same error', async () => {
    const thrown = new Error('sync');
    class Sync {
      @CircuitBreaker({ name: 'dec-sync', failureThreshold: 1 })
      // A method typed async-compatible that throws before returning a promise.
      syncThrow(): Promise<never> {
        throw thrown;
      }
    }
    await expect(new Sync().syncThrow()).rejects.toBe(thrown);
    expect(getCircuitBreaker('dec-sync')?.state).toBe('open');
    await expect(new Sync().syncThrow()).rejects.toMatchObject({ code: 'ERR_CIRCUIT_OPEN', breakerName: 'dec-sync' });
  });

  it('counts the outcome as stale when the method reset its own breaker before returning', async () => {
    class SelfReset {
      @CircuitBreaker({ name: 'dec-self-reset', failureThreshold: 1 })
      call(): Promise<never> {
        getCircuitBreaker('dec-self-reset')!.reset();
        return Promise.reject(new Error('boom'));
      }
    }
    await expect(new SelfReset().call()).rejects.toThrow('boom');
    const breaker = getCircuitBreaker('dec-self-reset')!;
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 0, ignoredCalls: 1 });
  });

  it('counts a probe as stale when a subscriber reset the breaker while it was being admitted', async () => {
    const clock = new ManualClock();
    class Probe {
      @CircuitBreaker({ name: 'dec-probe-reset', failureThreshold: 1, resetTimeout: 1000, clock })
      call(): Promise<never> {
        return Promise.reject(new Error('fails'));
      }
    }
    const probe = new Probe();
    await probe.call().catch(() => undefined);
    const breaker = getCircuitBreaker('dec-probe-reset')!;
    const sub = breaker.stateChanges$.subscribe((c) => {
      if (c.to === 'half_open') breaker.reset();
    });
    try {
      clock.advance(1000);
      await probe.call().catch(() => undefined);
    } finally {
      sub.unsubscribe();
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 0, ignoredCalls: 1 });
  });

  it('returns a rejected promise, never a synchronous throw, when its clock throws', async () => {
    const broken = new Error('clock broke');
    const clock = {
      now: () => 0,
      monotonic: (): number => {
        throw broken;
      },
      setTimeout: () => 0,
      clearTimeout: () => undefined,
    };
    class Timed {
      @CircuitBreaker({ name: 'dec-broken-clock', slowCallDuration: 10, clock })
      call(): Promise<string> {
        return Promise.resolve('ok');
      }
    }
    const pending = new Timed().call();
    await expect(pending).rejects.toBe(broken);
  });

  it('validates options at class definition, listing every bad field', () => {
    const error = caught(() => {
      class Bad {
        @CircuitBreaker({ failureThreshold: 0, failureRateThreshold: Number.NaN, resetTimeout: -1 })
        async m(): Promise<void> {}
      }
      return Bad;
    });
    expect(isPolicyConfigError(error)).toBe(true);
    expect((error as { issues: Array<{ field: string }> }).issues.map((i) => i.field)).toEqual([
      'failureThreshold',
      'failureRateThreshold',
      'resetTimeout',
    ]);
    expect((error as Error).message).toMatch(/@CircuitBreaker on .*m/);
  });

  it('registers a default name Class.method at the first call, and Class.method#2 for a second class of that name', async () => {
    const makeClass = (): { new (): { fetch(): Promise<string> } } => {
      class Catalog {
        @CircuitBreaker()
        async fetch(): Promise<string> {
          return 'items';
        }
      }
      return Catalog;
    };
    const First = makeClass();
    const Second = makeClass();
    expect(getCircuitBreaker('Catalog.fetch')).toBeUndefined();
    await new First().fetch();
    await new Second().fetch();
    expect(getCircuitBreaker('Catalog.fetch')).toBeDefined();
    expect(getCircuitBreaker('Catalog.fetch#2')).toBeDefined();
    expect(getCircuitBreaker('Catalog.fetch')).not.toBe(getCircuitBreaker('Catalog.fetch#2'));
  });

  it('registers an explicit name at definition; the same name is the same breaker across decorators and circuitBreaker()', async () => {
    class Orders {
      @CircuitBreaker({ name: 'dec-shared', failureThreshold: 2 })
      async place(): Promise<string> {
        throw new Error('down');
      }
    }
    const handle = getCircuitBreaker('dec-shared');
    expect(handle).toBeDefined();
    const functional = circuitBreaker({ name: 'dec-shared', failureThreshold: 2 });
    expect(functional).toBe(handle);
    await new Orders().place().catch(() => undefined);
    await functional.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    expect(handle?.state).toBe('open');
  });

  it('throws at definition when the same name is declared with other options', () => {
    circuitBreaker({ name: 'dec-conflict', failureThreshold: 3 });
    const error = caught(() => {
      class Other {
        @CircuitBreaker({ name: 'dec-conflict', failureThreshold: 4 })
        async m(): Promise<void> {}
      }
      return Other;
    });
    expect(isPolicyConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /name must be a name not already used by a breaker with other options: "dec-conflict" was first declared by a functional policy, circuitBreaker\(\{ name: "dec-conflict" \}\), and differs in failureThreshold \(3 there, 4 here\)/,
    );
    expect(() => circuitBreaker({ name: 'dec-conflict', failureThreshold: 3, resetTimeout: 60_000 })).not.toThrow();
  });

  it("scope 'instance': each object gets its own breaker, registered as name#k", async () => {
    class Replica {
      constructor(readonly healthy: boolean) {}
      @CircuitBreaker({ name: 'dec-replica', scope: 'instance', failureThreshold: 1 })
      async read(): Promise<string> {
        if (!this.healthy) throw new Error('replica down');
        return 'row';
      }
      @CircuitBreaker({ name: 'dec-replica', scope: 'instance', failureThreshold: 1 })
      async write(): Promise<string> {
        return 'ok';
      }
    }
    const sick = new Replica(false);
    const fine = new Replica(true);
    await sick.read().catch(() => undefined);
    await expect(fine.read()).resolves.toBe('row');
    await fine.write();
    const names = listCircuitBreakers()
      .map((b) => b.name)
      .filter((n) => n.startsWith('dec-replica'));
    expect(names.sort()).toEqual(['dec-replica#1', 'dec-replica#2']);
    expect(getCircuitBreaker('dec-replica#1')?.state).toBe('open');
    expect(getCircuitBreaker('dec-replica#2')?.state).toBe('closed');
    // The same name on another method of the same object is the same breaker.
    expect(isCircuitOpenError(await sick.write().catch((e: unknown) => e))).toBe(true);
    expect(getPolicyMetadata(Replica, 'read')?.policies).toEqual([
      { kind: 'circuitBreaker', options: { name: 'dec-replica', scope: 'instance', failureThreshold: 1 } },
    ]);
  });

  it('behaves the same whatever the source order of the decorators: one breaker outcome per logical call', async () => {
    const clock = new ManualClock();
    const retry = { maxAttempts: 3, delay: 0, jitter: 'none' as const };
    class BreakerFirst {
      calls = 0;
      @CircuitBreaker({ name: 'dec-order-a', failureThreshold: 2, clock })
      @Retry(retry)
      async m(): Promise<void> {
        this.calls++;
        throw new Error('down');
      }
    }
    class RetryFirst {
      calls = 0;
      @Retry(retry)
      @CircuitBreaker({ name: 'dec-order-b', failureThreshold: 2, clock })
      async m(): Promise<void> {
        this.calls++;
        throw new Error('down');
      }
    }
    for (const Cls of [BreakerFirst, RetryFirst]) {
      const o = new Cls();
      await o.m().catch(() => undefined);
      expect(o.calls).toBe(3);
      expect(getPolicyMetadata(Cls, 'm')?.order).toEqual(['circuitBreaker', 'retry']);
    }
    expect(getCircuitBreaker('dec-order-a')?.snapshot().metrics.failedCalls).toBe(1);
    expect(getCircuitBreaker('dec-order-b')?.snapshot().metrics.failedCalls).toBe(1);
  });

  describe('which BulkheadFullError is a failure (by where it came from, not by its class)', () => {
    const metricsOf = (name: string): Record<string, number> =>
      getCircuitBreaker(name)!.snapshot().metrics as unknown as Record<string, number>;

    it("ignores the rejection of its own method's @Bulkhead, whatever the predicate", async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      class Own {
        @CircuitBreaker({ name: 'dec-own-bulkhead', failureThreshold: 1, failurePredicate: () => true })
        @Bulkhead({ maxConcurrent: 1 })
        async call(wait: Promise<void>): Promise<string> {
          await wait;
          return 'ok';
        }
      }
      const own = new Own();
      const running = own.call(gate);
      for (let i = 0; i < 3; i++) expect(isBulkheadFullError(await own.call(gate).catch((e: unknown) => e))).toBe(true);
      expect(getCircuitBreaker('dec-own-bulkhead')!.state).toBe('closed');
      expect(metricsOf('dec-own-bulkhead')).toMatchObject({ ignoredCalls: 3, failedCalls: 0 });
      release();
      await expect(running).resolves.toBe('ok');
    });

    it("counts a nested decorated client's bulkhead rejection as a failure, even beside a bulkhead of its own", async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      class Downstream {
        @Bulkhead({ maxConcurrent: 1 })
        async fetch(wait: Promise<void>): Promise<string> {
          await wait;
          return 'data';
        }
      }
      const downstream = new Downstream();
      class Upstream {
        @CircuitBreaker({ name: 'dec-downstream-bulkhead', failureThreshold: 2 })
        @Bulkhead({ maxConcurrent: 10 })
        async call(): Promise<string> {
          return downstream.fetch(Promise.resolve());
        }
      }
      class Bare {
        @CircuitBreaker({ name: 'dec-downstream-bulkhead-bare', failureThreshold: 2 })
        async call(): Promise<string> {
          return downstream.fetch(Promise.resolve());
        }
      }
      const busy = downstream.fetch(gate); // the downstream's only slot
      for (const [client, name] of [
        [new Upstream(), 'dec-downstream-bulkhead'],
        [new Bare(), 'dec-downstream-bulkhead-bare'],
      ] as const) {
        for (let i = 0; i < 2; i++)
          expect(isBulkheadFullError(await client.call().catch((e: unknown) => e))).toBe(true);
        expect(getCircuitBreaker(name)!.state).toBe('open');
        expect(metricsOf(name)).toMatchObject({ failedCalls: 2, ignoredCalls: 0 });
      }
      release();
      await busy;
    });

    it('counts a BulkheadFullError thrown by user code as a failure', async () => {
      class Thrower {
        @CircuitBreaker({ name: 'dec-user-bulkhead-error', failureThreshold: 1 })
        @Bulkhead({ maxConcurrent: 1 })
        async call(): Promise<never> {
          throw new BulkheadFullError('a pool of my own', 4, 0);
        }
      }
      await new Thrower().call().catch(() => undefined);
      expect(getCircuitBreaker('dec-user-bulkhead-error')!.state).toBe('open');
    });
  });
});
