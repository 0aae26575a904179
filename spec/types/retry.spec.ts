import { Retry } from '../../lib/decorators/retry.js';
import { retry } from '../../lib/functional/retry.js';
import type { BackoffStrategy, JitterStrategy, RetryOptions } from '../../lib/policies/retry/options.js';

// Compiled by `tsc -p tsconfig.json` (standard decorators) and `tsc -p tsconfig.legacy.json`:
// every `@ts-expect-error` below must be an error in both modes, or the type-check fails.
describe('Retry (types)', () => {
  it('decorates async methods only, keeping their signature', async () => {
    class Typed {
      @Retry({ maxAttempts: 2, backoff: (n: number, _error: unknown) => n * 10, retryOnResult: (r) => r === undefined })
      async ok(id: string): Promise<string> {
        return id;
      }

      @Retry()
      static async stat(): Promise<number> {
        return 1;
      }
    }
    const value: string = await new Typed().ok('x');
    expect(value).toBe('x');

    // Never run: decorating these would also throw at run time; the point is the compile error.
    const notCompiled = () => {
      class Bad {
        // @ts-expect-error -- a method that does not return a Promise cannot be decorated
        @Retry()
        sync(): number {
          return 1;
        }

        // @ts-expect-error -- 'random' is not a backoff strategy
        @Retry({ backoff: 'random' })
        async b(): Promise<void> {}

        // @ts-expect-error -- 'half' is not a jitter strategy
        @Retry({ jitter: 'half' })
        async j(): Promise<void> {}

        // @ts-expect-error -- retryOn takes error classes or a predicate, not names
        @Retry({ retryOn: ['TypeError'] })
        async r(): Promise<void> {}

        // @ts-expect-error -- unknown option
        @Retry({ attempts: 3 })
        async u(): Promise<void> {}
      }
      return Bad;
    };
    expect(typeof notCompiled).toBe('function');
  });

  it('types the options and the functional policy', async () => {
    const backoff: BackoffStrategy = 'linear';
    const jitter: JitterStrategy = 'decorrelated';
    const options: RetryOptions = { backoff, jitter, retryOn: [TypeError], clock: undefined, random: () => 0.5 };
    const n: number = await retry({ ...options, delay: 0 }).execute(async (signal: AbortSignal) =>
      signal.aborted ? 2 : 1,
    );
    expect(n).toBe(1);
    // @ts-expect-error -- execute's result type follows fn
    const s: string = await retry({ delay: 0 }).execute(async () => 1);
    expect(s).toBe(1);
  });
});
