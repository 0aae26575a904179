import { Bulkhead } from '../../lib/decorators/bulkhead.js';
import { CircuitBreaker } from '../../lib/decorators/circuit-breaker.js';
import { Fallback } from '../../lib/decorators/fallback.js';
import { PolicyOrder } from '../../lib/decorators/policy-order.js';
import { Retry } from '../../lib/decorators/retry.js';
import { Timeout } from '../../lib/decorators/timeout.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../lib/errors/policy-config-error.js';

const legacy = (globalThis as { BREAKWATER_DECORATOR_MODE?: string }).BREAKWATER_DECORATOR_MODE === 'legacy';
/** How a definition-time message names a method: standard decorators are applied before the class has a name. */
const on = (className: string, method: string): string => (legacy ? `${className}.${method}` : method);

function definitionError(define: () => unknown): PolicyConfigError {
  try {
    define();
  } catch (error) {
    expect(isPolicyConfigError(error)).toBe(true);
    return error as PolicyConfigError;
  }
  throw new Error('the class definition should have thrown');
}

// These decorators are misused on purpose, as bypassed types (JavaScript, `any`) allow.
describe('a decorator written without its call', () => {
  const cases: Array<[string, any, string]> = [
    ['Retry', Retry, '@Retry()'],
    ['CircuitBreaker', CircuitBreaker, '@CircuitBreaker()'],
    ['Bulkhead', Bulkhead, '@Bulkhead(10) or @Bulkhead({ maxConcurrent: 10 })'],
    ['Timeout', Timeout, '@Timeout(2_000) or @Timeout({ duration: 2_000 })'],
    ['Fallback', Fallback, "@Fallback('fallbackMethod') or @Fallback((error) => value)"],
    ['PolicyOrder', PolicyOrder, "@PolicyOrder(['fallback', 'circuitBreaker', 'retry', 'timeout', 'bulkhead'])"],
  ];

  it.each(cases)('@%s: a PolicyConfigError at class definition saying how to write it', (name, factory, usage) => {
    const error = definitionError(() => {
      class PaymentClient {
        @factory
        async charge(): Promise<number> {
          return 1;
        }
      }
      return PaymentClient;
    });
    expect(error.message).toBe(
      `Invalid options for @${name} on ${on('PaymentClient', 'charge')}: @${name} must be called: ` +
        `write ${usage} (without the call it is given the method in place of its options)`,
    );
    expect(error.issues).toEqual([expect.objectContaining({ field: 'decorator' })]);
  });

  it('is caught on a static method too', () => {
    const error = definitionError(() => {
      class Jobs {
        @(Retry as any)
        static async sweep(): Promise<void> {}
      }
      return Jobs;
    });
    expect(error.where).toBe(`@Retry on ${on('Jobs', 'sweep')}`);
  });

  it('does not mistake a real call for a bare use', () => {
    class Fine {
      @Fallback((_error: unknown) => 0, { on: [TypeError] })
      @Retry({ maxAttempts: 2, delay: 0 })
      async run(): Promise<number> {
        return 1;
      }
    }
    expect(new Fine()).toBeInstanceOf(Fine);
  });
});

describe('messages of decorators that cannot apply', () => {
  it('two bad decorators on one method: one error that reports both', () => {
    const error = definitionError(() => {
      class PaymentClient {
        @Timeout(-1)
        @Retry({ maxAttempts: 0 })
        async charge(): Promise<number> {
          return 1;
        }
      }
      return PaymentClient;
    });
    expect(error.message).toBe(
      `Invalid options for @Retry on ${on('PaymentClient', 'charge')}: maxAttempts must be an integer ≥ 1 (got 0); ` +
        'also @Timeout: duration must be a number of milliseconds greater than 0 and at most 2147483647 (got -1)',
    );
    expect(error.issues.map((i) => i.field)).toEqual(['maxAttempts', '@Timeout.duration']);
  });

  it('reports each bad decorator once, whichever is applied first', () => {
    const error = definitionError(() => {
      class Orders {
        @Retry({ maxAttempts: 0 })
        @Bulkhead({ maxConcurrent: 1 })
        @CircuitBreaker({ failureThreshold: -1 })
        async place(): Promise<void> {}
      }
      return Orders;
    });
    expect(error.where).toBe(`@CircuitBreaker on ${on('Orders', 'place')}`);
    expect(error.issues.map((i) => i.field)).toEqual(['failureThreshold', '@Retry.maxAttempts']);
  });

  it('a duplicate decorator: "declared twice on Class.method", never "(got undefined)"', () => {
    const error = definitionError(() => {
      class PaymentClient {
        @Retry()
        @Retry({ maxAttempts: 2 })
        async charge(): Promise<number> {
          return 1;
        }
      }
      return PaymentClient;
    });
    expect(error.message).toBe(
      `Invalid options for @Retry on ${on('PaymentClient', 'charge')}: ` +
        `@Retry is declared twice on ${on('PaymentClient', 'charge')}: a method takes each policy once`,
    );
  });

  it('a duplicate with bad options reports both problems', () => {
    const error = definitionError(() => {
      class Twice {
        @Timeout(0)
        @Timeout(1_000)
        async run(): Promise<void> {}
      }
      return Twice;
    });
    expect(error.issues.map((i) => i.field)).toEqual(['duration', 'decorator']);
    expect(error.message).not.toContain('got undefined');
  });

  it('a duplicate @PolicyOrder is reported the same way', () => {
    const order = ['fallback', 'retry', 'circuitBreaker', 'timeout', 'bulkhead'] as const;
    const error = definitionError(() => {
      class Twice {
        @PolicyOrder(order)
        @PolicyOrder(order)
        @Retry()
        async run(): Promise<void> {}
      }
      return Twice;
    });
    expect(error.message).toContain(`@PolicyOrder is declared twice on ${on('Twice', 'run')}`);
  });

  it('validates when the factory runs, but throws only where it is applied (naming that method)', () => {
    const bad = Retry({ maxAttempts: 0 }) as any;
    const error = definitionError(() => {
      class Later {
        @bad
        async run(): Promise<void> {}
      }
      return Later;
    });
    expect(error.where).toBe(`@Retry on ${on('Later', 'run')}`);
    // Applying it again reports it again.
    expect(
      definitionError(() => {
        class Again {
          @bad
          async run(): Promise<void> {}
        }
        return Again;
      }).issues.map((i) => i.field),
    ).toEqual(['maxAttempts']);
  });

  it('bad decorators on two members: standard mode reports both at once, legacy mode the first method', () => {
    const error = definitionError(() => {
      class Shop {
        @Retry({ delay: -1 })
        async list(): Promise<void> {}

        @Timeout(Number.NaN)
        async buy(): Promise<void> {}
      }
      return Shop;
    });
    expect(error.where).toBe(`@Retry on ${on('Shop', 'list')}`);
    // Standard decorator expressions of the whole class are evaluated before any is applied;
    // legacy ones method by method.
    expect(error.issues.map((i) => i.field)).toEqual(legacy ? ['delay'] : ['delay', '@Timeout.duration']);
  });

  it('a decorator on something that is not a method', () => {
    const error = definitionError(() => {
      class Holder {
        @(Retry() as any)
        get value(): number {
          return 1;
        }
      }
      return Holder;
    });
    expect(error.where).toBe(`@Retry on ${on('Holder', 'value')}`);
    expect(error.issues[0]).toMatchObject({
      field: 'target',
      expected: 'a method (decorators apply to async methods only)',
    });
  });
});
