import { Bulkhead } from '../../lib/decorators/bulkhead.js';
import { CircuitBreaker } from '../../lib/decorators/circuit-breaker.js';
import { Fallback } from '../../lib/decorators/fallback.js';
import { Retry } from '../../lib/decorators/retry.js';
import { Timeout } from '../../lib/decorators/timeout.js';
import { isBulkheadFullError } from '../../lib/errors/bulkhead-full-error.js';
import { isCircuitOpenError } from '../../lib/errors/circuit-open-error.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../lib/errors/policy-config-error.js';
import { bulkhead } from '../../lib/functional/bulkhead.js';
import { circuitBreaker } from '../../lib/functional/circuit-breaker.js';
import { fallback } from '../../lib/functional/fallback.js';
import { retry } from '../../lib/functional/retry.js';
import { timeout } from '../../lib/functional/timeout.js';
import { staleResult } from '../../lib/policies/fallback/stale-result.js';
import { deferred, flushMicrotasks } from '../support/async.js';

// Each policy, functional and decorated, with the options it is given and a call to run once.
// `make` must read the options when the policy is created / the class is defined.
interface Case {
  readonly name: string;
  readonly known: readonly string[];
  readonly valid: Record<string, unknown>;
  readonly make: (options: object) => () => Promise<unknown>;
}

// Options built at run time stand for JavaScript callers: `any` where a factory's type needs more.
const CASES: readonly Case[] = [
  {
    name: 'circuitBreaker()',
    known: [
      'name',
      'scope',
      'failureThreshold',
      'failureWindow',
      'failureRateThreshold',
      'slowCallDuration',
      'slowCallRateThreshold',
      'slidingWindow',
      'minimumCalls',
      'resetTimeout',
      'halfOpenMaxCalls',
      'successThreshold',
      'halfOpenMaxWait',
      'failurePredicate',
      'clock',
    ],
    valid: { failureThreshold: 2 },
    make: (o) => {
      const b = circuitBreaker(o);
      return () => b.execute(async () => 1);
    },
  },
  {
    name: '@CircuitBreaker',
    known: [
      'name',
      'scope',
      'failureThreshold',
      'failureWindow',
      'failureRateThreshold',
      'slowCallDuration',
      'slowCallRateThreshold',
      'slidingWindow',
      'minimumCalls',
      'resetTimeout',
      'halfOpenMaxCalls',
      'successThreshold',
      'halfOpenMaxWait',
      'failurePredicate',
      'clock',
    ],
    valid: { failureThreshold: 2 },
    make: (o) => {
      class Client {
        @CircuitBreaker(o)
        async call(): Promise<number> {
          return 1;
        }
      }
      return () => new Client().call();
    },
  },
  {
    name: 'retry()',
    known: [
      'maxAttempts',
      'delay',
      'backoff',
      'factor',
      'maxDelay',
      'jitter',
      'retryOn',
      'retryOnResult',
      'clock',
      'random',
    ],
    valid: { maxAttempts: 2, delay: 0 },
    make: (o) => {
      const p = retry(o);
      return () => p.execute(async () => 1);
    },
  },
  {
    name: '@Retry',
    known: [
      'maxAttempts',
      'delay',
      'backoff',
      'factor',
      'maxDelay',
      'jitter',
      'retryOn',
      'retryOnResult',
      'clock',
      'random',
    ],
    valid: { maxAttempts: 2, delay: 0 },
    make: (o) => {
      class Client {
        @Retry(o)
        async call(): Promise<number> {
          return 1;
        }
      }
      return () => new Client().call();
    },
  },
  {
    name: 'fallback()',
    known: ['on'],
    valid: { on: [TypeError] },
    make: (o) => {
      const p = fallback(() => 0, o as any);
      return () => p.execute(async () => 1);
    },
  },
  {
    name: '@Fallback',
    known: ['on'],
    valid: { on: [TypeError] },
    make: (o) => {
      class Client {
        @Fallback(() => 0, o as any)
        async call(): Promise<number> {
          return 1;
        }
      }
      return () => new Client().call();
    },
  },
  {
    name: 'timeout()',
    known: ['duration', 'clock'],
    valid: { duration: 1_000 },
    make: (o) => {
      const p = timeout(o as any);
      return () => p.execute(async () => 1);
    },
  },
  {
    name: '@Timeout',
    known: ['duration', 'clock'],
    valid: { duration: 1_000 },
    make: (o) => {
      class Client {
        @Timeout(o as any)
        async call(): Promise<number> {
          return 1;
        }
      }
      return () => new Client().call();
    },
  },
  {
    name: 'bulkhead()',
    known: ['name', 'maxConcurrent', 'maxQueue', 'queueTimeout', 'clock'],
    valid: { maxConcurrent: 2 },
    make: (o) => {
      const p = bulkhead(o as any);
      return () => p.execute(async () => 1);
    },
  },
  {
    name: '@Bulkhead',
    known: ['name', 'maxConcurrent', 'maxQueue', 'queueTimeout', 'clock'],
    valid: { maxConcurrent: 2 },
    make: (o) => {
      class Client {
        @Bulkhead(o as any)
        async call(): Promise<number> {
          return 1;
        }
      }
      return () => new Client().call();
    },
  },
  {
    name: 'staleResult()',
    known: ['key', 'ttl', 'maxEntries', 'clock'],
    valid: { maxEntries: 5 },
    make: (o) => {
      const p = fallback(staleResult(o as any));
      return () => p.execute(async () => 1);
    },
  },
];

/** A Proxy over `values` that counts every property read. */
function spy(values: Record<string, unknown>): { options: object; reads: Map<PropertyKey, number> } {
  const reads = new Map<PropertyKey, number>();
  const options = new Proxy(values, {
    get(target, key, receiver) {
      reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { options, reads };
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

function configError(run: () => unknown): PolicyConfigError {
  try {
    run();
  } catch (error) {
    expect(isPolicyConfigError(error)).toBe(true);
    return error as PolicyConfigError;
  }
  throw new Error('expected a PolicyConfigError');
}

describe.each(CASES)('options of $name', ({ known, valid, make }) => {
  it('are read exactly once each, when the policy is created, never while it runs', async () => {
    const { options, reads } = spy(valid);
    const run = make(options);
    const afterCreation = new Map(reads);
    await run();
    await run();
    expect(reads).toEqual(afterCreation);
    for (const key of known) expect([key, reads.get(key)]).toEqual([key, 1]);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
  });

  it('may be inherited (Object.create(defaults)) or getters of a class instance', async () => {
    await expect(make(Object.create(valid) as object)()).resolves.toBeDefined();
    const Defaults = class {};
    for (const [key, value] of Object.entries(valid)) {
      Object.defineProperty(Defaults.prototype, key, { get: () => value, enumerable: false });
    }
    await expect(make(new Defaults())()).resolves.toBeDefined();
  });

  it('turn a getter that throws into a PolicyConfigError naming the field and what it threw', () => {
    const field = Object.keys(valid)[0]!;
    const options = { ...valid };
    Object.defineProperty(options, field, {
      enumerable: true,
      get() {
        throw new TypeError('secret store offline');
      },
    });
    const error = configError(() => make(options));
    expect(error.issues.map((i) => i.field)).toEqual([field]);
    expect(error.message).toContain(`${field} could not be read: reading it threw TypeError: secret store offline`);
  });

  it('reject an unknown key, inherited ones too', () => {
    const error = configError(() => make(Object.assign(Object.create({ typo: 1 }) as object, valid)));
    expect(error.issues.map((i) => i.field)).toEqual(['typo']);
  });
});

describe('read once, run with what was validated', () => {
  it('circuitBreaker() honours inherited options (it used to take an empty own-key set for the defaults)', async () => {
    const b = circuitBreaker(Object.create({ failureThreshold: 1, resetTimeout: 60_000 }) as object);
    await expect(b.execute(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(isCircuitOpenError(await rejection(b.execute(async () => 1)))).toBe(true);
  });

  it('@CircuitBreaker honours a class instance with getters', async () => {
    class BreakerSettings {
      get failureThreshold(): number {
        return 1;
      }
    }
    class Client {
      @CircuitBreaker(new BreakerSettings())
      async call(fail: boolean): Promise<number> {
        if (fail) throw new Error('down');
        return 1;
      }
    }
    const client = new Client();
    await expect(client.call(true)).rejects.toThrow('down');
    expect(isCircuitOpenError(await rejection(client.call(false)))).toBe(true);
  });

  it('a getter that changes between reads: the bulkhead runs with the value that was validated', async () => {
    let reads = 0;
    const options = {
      maxConcurrent: 1,
      get maxQueue(): number {
        return reads++ === 0 ? 0 : Number.NaN; // valid once, then an unbounded queue if read again
      },
    };
    const b = bulkhead(options);
    expect(b.maxQueue).toBe(0);
    const gate = deferred<number>();
    const running = b.execute(() => gate.promise);
    await flushMicrotasks();
    expect(isBulkheadFullError(await rejection(b.execute(async () => 2)))).toBe(true);
    gate.resolve(1);
    await expect(running).resolves.toBe(1);
    expect(reads).toBe(1);
  });

  it('a retryOn array changed after creation changes nothing', async () => {
    class Transient extends Error {}
    const retryOn: Array<new (...args: never[]) => Error> = [Transient];
    const p = retry({ maxAttempts: 2, delay: 0, retryOn });
    retryOn.length = 0;
    retryOn.push(RangeError);
    let calls = 0;
    await expect(
      p.execute(async () => {
        if (++calls === 1) throw new Transient('once');
        return calls;
      }),
    ).resolves.toBe(2);
  });
});
