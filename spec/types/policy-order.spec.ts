import { PolicyOrder } from '../../lib/decorators/policy-order.js';

// Compiled by `tsc -p tsconfig.json` (standard decorators) and `tsc -p tsconfig.legacy.json`:
// every `@ts-expect-error` below must be an error in both modes, or the type-check fails.
describe('PolicyOrder (types)', () => {
  it('accepts async methods and rejects everything else at compile time', () => {
    class Typed {
      @PolicyOrder(['fallback', 'retry', 'circuitBreaker', 'timeout', 'bulkhead'])
      async ok(): Promise<number> {
        return 1;
      }

      // @ts-expect-error -- a method that does not return a Promise cannot be decorated
      @PolicyOrder(['fallback', 'retry', 'circuitBreaker', 'timeout', 'bulkhead'])
      sync(): number {
        return 1;
      }
    }
    expect(new Typed()).toBeDefined();
    // The same mistake in JavaScript is caught at class definition.
    expect(() => {
      class Typo {
        // @ts-expect-error -- 'breaker' is not a policy kind
        @PolicyOrder(['fallback', 'retry', 'breaker', 'timeout', 'bulkhead'])
        async typo(): Promise<void> {}
      }
      return Typo;
    }).toThrow(/order must be an array/);
  });
});
