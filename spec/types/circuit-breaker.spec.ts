import { CircuitBreaker } from '../../lib/decorators/circuit-breaker';
import { circuitBreaker } from '../../lib/functional/circuit-breaker';
import type { CircuitBreakerOptions } from '../../lib/policies/circuit-breaker/options';

// Type-level checks: these lines are compiled by `tsc -p tsconfig.json` and `tsc -p tsconfig.legacy.json`.
describe('@CircuitBreaker (types)', () => {
  it('accepts async methods and rejects everything else at compile time', () => {
    class Client {
      @CircuitBreaker({ name: 'types-ok' })
      async fetch(id: string): Promise<string> {
        return id;
      }

      @CircuitBreaker({ name: 'types-thenable' })
      fetchLike(): Promise<number> {
        return Promise.resolve(1);
      }

      // @ts-expect-error a method that returns a number cannot be decorated
      @CircuitBreaker({ name: 'types-number' })
      count(): number {
        return 1;
      }

      // @ts-expect-error a method that returns void cannot be decorated
      @CircuitBreaker({ name: 'types-void' })
      log(): void {}
    }
    expect(Client).toBeDefined();
  });

  it('checks option names and shapes', () => {
    // @ts-expect-error unknown option
    const typo: CircuitBreakerOptions = { failureTreshold: 3 };
    // @ts-expect-error a sliding window needs a size or a duration matching its type
    const badWindow: CircuitBreakerOptions = { slidingWindow: { type: 'count', duration: 100 } };
    const fn: CircuitBreakerOptions = {
      resetTimeout: (opens: number) => opens * 1000,
      failurePredicate: (e: unknown) => e instanceof Error,
    };
    expect([typo, badWindow, fn]).toHaveLength(3);
    const handle = circuitBreaker({ name: 'types-handle' });
    const state: 'closed' | 'open' | 'half_open' | 'forced_open' | 'disabled' = handle.state;
    expect(state).toBe('closed');
  });
});
