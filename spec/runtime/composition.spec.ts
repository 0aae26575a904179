import { Bulkhead } from '../../lib/decorators/bulkhead.js';
import { CircuitBreaker } from '../../lib/decorators/circuit-breaker.js';
import { Fallback } from '../../lib/decorators/fallback.js';
import { PolicyOrder } from '../../lib/decorators/policy-order.js';
import { Retry } from '../../lib/decorators/retry.js';
import { Timeout } from '../../lib/decorators/timeout.js';
import { isCircuitOpenError } from '../../lib/errors/circuit-open-error.js';
import { isTimeoutError } from '../../lib/errors/timeout-error.js';
import { getCircuitBreaker } from '../../lib/policies/circuit-breaker/registry.js';
import { reasonOf } from '../support/async.js';

type AnyDecorator = (...args: any[]) => any;
const legacy = (globalThis as { BREAKWATER_DECORATOR_MODE?: string }).BREAKWATER_DECORATOR_MODE === 'legacy';

/**
 * Applies `decorators` (listed top to bottom, as in source) to `Class.prototype[name]` the way the
 * compiler does in the current mode: bottom-up. Lets one spec try every source order.
 */
function decorate(Class: { prototype: object }, name: string, decorators: readonly AnyDecorator[]): void {
  const proto = Class.prototype as Record<string, unknown>;
  if (legacy) {
    let descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    for (let i = decorators.length - 1; i >= 0; i--)
      descriptor = (decorators[i]!(proto, name, descriptor) as PropertyDescriptor | undefined) ?? descriptor;
    Object.defineProperty(proto, name, descriptor);
  } else {
    let value = proto[name];
    const context = {
      kind: 'method',
      name,
      static: false,
      private: false,
      access: { has: (o: object) => name in o, get: (o: Record<string, unknown>) => o[name] },
      addInitializer: () => undefined,
      metadata: {},
    };
    for (let i = decorators.length - 1; i >= 0; i--) value = (decorators[i]!(value, context) as unknown) ?? value;
    Object.defineProperty(proto, name, { value, writable: true, configurable: true, enumerable: false });
  }
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** A fake dependency the scenario scripts: each call takes the next behaviour (the last one repeats). */
class Dependency {
  calls = 0;
  script: Array<'ok' | 'fail' | 'hang'> = ['ok'];
  call(): Promise<string> {
    const step = this.script[Math.min(this.calls, this.script.length - 1)]!;
    this.calls++;
    if (step === 'ok') return Promise.resolve(`live ${this.calls}`);
    if (step === 'fail') return Promise.reject(new Error(`failure ${this.calls}`));
    return new Promise<string>((resolve) => setTimeout(() => resolve('too late'), 60_000));
  }
}

let serial = 0;
const KINDS = ['Fallback', 'CircuitBreaker', 'Retry', 'Timeout', 'Bulkhead'] as const;

/** Builds a client class whose `get` carries the five decorators in the given source order. */
function clientClass(order: ReadonlyArray<(typeof KINDS)[number]>) {
  const breakerName = `composition-${++serial}`;
  class Client {
    readonly fallbackSaw: string[] = [];
    constructor(readonly dep: Dependency) {}
    async get(): Promise<string> {
      return this.dep.call();
    }
    async cached(error: unknown): Promise<string> {
      this.fallbackSaw.push(
        isCircuitOpenError(error) ? 'open' : isTimeoutError(error) ? 'timeout' : (error as Error).message,
      );
      return 'cached';
    }
  }
  const made: Record<(typeof KINDS)[number], AnyDecorator> = {
    Fallback: Fallback('cached') as AnyDecorator,
    CircuitBreaker: CircuitBreaker({ name: breakerName, failureThreshold: 2, resetTimeout: 10_000 }),
    Retry: Retry({ maxAttempts: 3, delay: 100, backoff: 'fixed', jitter: 'none' }),
    Timeout: Timeout(1_000),
    Bulkhead: Bulkhead({ maxConcurrent: 2 }),
  };
  decorate(
    Client,
    'get',
    order.map((k) => made[k]),
  );
  return { Client, breakerName };
}

async function settle<T>(promise: Promise<T>, ms: number): Promise<T> {
  const outcome = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await jest.advanceTimersByTimeAsync(ms);
  const o = await outcome;
  if (!o.ok) throw o.error;
  return o.value;
}

/** Runs one scripted scenario and returns everything observable about it. */
async function scenario(order: ReadonlyArray<(typeof KINDS)[number]>): Promise<unknown[]> {
  const { Client, breakerName } = clientClass(order);
  const dep = new Dependency();
  const client = new Client(dep);
  const breaker = () => getCircuitBreaker(breakerName)!;
  const trace: unknown[] = [];
  const step = async (script: Dependency['script'], ms: number) => {
    dep.calls = 0;
    dep.script = script;
    const result = await settle(client.get(), ms);
    trace.push({ result, calls: dep.calls, state: breaker().state, failed: breaker().snapshot().metrics.failedCalls });
  };
  await step(['ok'], 0); // plain success
  await step(['hang', 'ok'], 1_100); // attempt 1 times out after 1 s, retried after 100 ms
  await step(['fail'], 200); // 3 attempts, one breaker failure, fallback
  await step(['fail'], 200); // second failure opens the circuit
  await step(['ok'], 0); // rejected by the open circuit without calling the dependency
  trace.push(client.fallbackSaw);
  return trace;
}

const EXPECTED = [
  { result: 'live 1', calls: 1, state: 'closed', failed: 0 },
  { result: 'live 2', calls: 2, state: 'closed', failed: 0 },
  { result: 'cached', calls: 3, state: 'closed', failed: 1 },
  { result: 'cached', calls: 3, state: 'open', failed: 2 },
  { result: 'cached', calls: 0, state: 'open', failed: 2 },
  ['failure 3', 'failure 3', 'open'],
];

describe('composition of the decorators', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('behaves the same for all 120 source orders of the five decorators', async () => {
    const orders = permutations(KINDS);
    expect(orders).toHaveLength(120);
    for (const order of orders) {
      const trace = await scenario(order);
      if (JSON.stringify(trace) !== JSON.stringify(EXPECTED))
        throw new Error(`order ${order.join(' > ')} gave ${JSON.stringify(trace)}`);
      await jest.advanceTimersByTimeAsync(60_000); // let the hung dependency calls settle
    }
    expect(jest.getTimerCount()).toBe(0);
  });

  it('counts one logical call, with all its retries, as ONE breaker outcome', async () => {
    let attempts = 0;
    class Once {
      @Retry({ maxAttempts: 3, delay: 0 })
      @CircuitBreaker({ name: 'composition-one-outcome', failureThreshold: 5 })
      async failTwiceThenSucceed(): Promise<string> {
        if (++attempts % 3 !== 0) throw new Error('flaky');
        return 'ok';
      }
    }
    await expect(new Once().failTwiceThenSucceed()).resolves.toBe('ok');
    const metrics = getCircuitBreaker('composition-one-outcome')!.snapshot().metrics;
    expect([metrics.totalCalls, metrics.successfulCalls, metrics.failedCalls]).toEqual([1, 1, 0]);
    expect(attempts).toBe(3);
  });

  it('stops further attempts when the breaker opens (through other calls) while a call sleeps between attempts', async () => {
    const options = { name: 'composition-opens-meanwhile', failureThreshold: 1, resetTimeout: 60_000 };
    const first = new Error('first attempt');
    let slowCalls = 0;
    class Shared {
      @CircuitBreaker(options)
      @Retry({ maxAttempts: 5, delay: 1_000, backoff: 'fixed', jitter: 'none' })
      async slow(): Promise<string> {
        slowCalls++;
        throw first;
      }

      @CircuitBreaker(options)
      async other(): Promise<string> {
        throw new Error('other failure');
      }
    }
    const s = new Shared();
    const pending = s.slow().catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(0);
    expect(slowCalls).toBe(1); // now sleeping before attempt 2
    await expect(s.other()).rejects.toThrow('other failure');
    expect(getCircuitBreaker(options.name)!.state).toBe('open');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await pending).toBe(first);
    expect(slowCalls).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  describe('@PolicyOrder with Retry outside the breaker', () => {
    it('makes each attempt a breaker outcome', async () => {
      let attempts = 0;
      class EachAttempt {
        @PolicyOrder(['fallback', 'retry', 'circuitBreaker', 'timeout', 'bulkhead'])
        @CircuitBreaker({ name: 'composition-each-attempt', failureThreshold: 10 })
        @Retry({ maxAttempts: 3, delay: 0 })
        async run(): Promise<string> {
          attempts++;
          throw new Error('down');
        }
      }
      await expect(new EachAttempt().run()).rejects.toThrow('down');
      expect(attempts).toBe(3);
      expect(getCircuitBreaker('composition-each-attempt')!.snapshot().metrics.failedCalls).toBe(3);
    });

    it('never retries an open-circuit rejection (no hot loop, cockatiel #83)', async () => {
      let attempts = 0;
      class NoHotLoop {
        @PolicyOrder(['fallback', 'retry', 'circuitBreaker', 'timeout', 'bulkhead'])
        @Retry({ maxAttempts: 50, delay: 0 })
        @CircuitBreaker({ name: 'composition-no-hot-loop', failureThreshold: 1 })
        async run(): Promise<string> {
          attempts++;
          throw new Error('down');
        }
      }
      const error = await new NoHotLoop().run().catch((e: unknown) => e);
      expect(isCircuitOpenError(error)).toBe(true);
      expect(attempts).toBe(1);
      const metrics = getCircuitBreaker('composition-no-hot-loop')!.snapshot().metrics;
      expect([metrics.failedCalls, metrics.rejectedCalls]).toEqual([1, 1]);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});

describe('a value that throws on property access, through every policy', () => {
  class NotThis extends Error {}
  function revoked(): Error {
    const r = Proxy.revocable(new Error('revoked'), {});
    r.revoke();
    return r.proxy;
  }

  it('reaches the caller unchanged past filters that cannot match it, and counts once as a failure', async () => {
    const value = revoked();
    let attempts = 0;
    class Stack {
      @Fallback(() => 'fallback', { on: [NotThis] })
      @CircuitBreaker({ name: 'composition-hostile', failureThreshold: 1 })
      @Retry({ maxAttempts: 3, delay: 0, retryOn: [NotThis] })
      @Timeout(60_000)
      @Bulkhead({ maxConcurrent: 1 })
      async call(): Promise<string> {
        attempts++;
        throw value;
      }
    }
    const { reason } = await reasonOf(new Stack().call());
    expect(reason === value).toBe(true);
    expect(attempts).toBe(1);
    expect(getCircuitBreaker('composition-hostile')!.snapshot().metrics).toMatchObject({ failedCalls: 1 });
    expect(getCircuitBreaker('composition-hostile')!.state).toBe('open');
  });

  it('is retried by the default retryOn and handed to an unfiltered fallback as it is', async () => {
    const value = revoked();
    let attempts = 0;
    const seen: unknown[] = [];
    class Recovering {
      @Fallback((error: unknown) => (seen.push(error), 'fallback'))
      @CircuitBreaker({ name: 'composition-hostile-recovered', failureThreshold: 5 })
      @Retry({ maxAttempts: 3, delay: 0 })
      async call(): Promise<string> {
        attempts++;
        throw value;
      }
    }
    await expect(new Recovering().call()).resolves.toBe('fallback');
    expect(attempts).toBe(3);
    expect(seen.length === 1 && seen[0] === value).toBe(true);
    expect(getCircuitBreaker('composition-hostile-recovered')!.snapshot().metrics.failedCalls).toBe(1);
  });

  it('as the last argument, is passed to the method as it is, not taken for a signal', async () => {
    const value = revoked();
    class Args {
      @CircuitBreaker({ name: 'composition-hostile-argument' })
      async call(arg: unknown): Promise<boolean> {
        return arg === value;
      }
      @CircuitBreaker({ name: 'composition-hostile-argument-2' })
      @Timeout(60_000)
      async timed(arg: unknown): Promise<boolean> {
        return arg === value;
      }
    }
    let result: Promise<boolean> | undefined;
    expect(() => (result = new Args().call(value))).not.toThrow();
    await expect(result).resolves.toBe(true);
    await expect(new Args().timed(value)).resolves.toBe(true);
  });
});
