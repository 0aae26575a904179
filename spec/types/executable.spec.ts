import type { AttemptContext } from '../../lib/runtime/attempt.js';
import type { ResilienceEvent, RetryExhaustedEvent } from '../../lib/events/types.js';
import { circuitBreaker } from '../../lib/functional/circuit-breaker.js';
import type { Executable } from '../../lib/runtime/policy.js';
import { retry } from '../../lib/functional/retry.js';

// Compiled by `tsc -p tsconfig.json` and `tsc -p tsconfig.legacy.json`: every `@ts-expect-error`
// below must be an error in both, or the type-check fails.
describe('the functional fn (types)', () => {
  it('receives an AbortSignal, never undefined, and the attempt context', async () => {
    const breaker = circuitBreaker();
    // The contract's own example: a parameter typed `AbortSignal` compiles.
    const aborted: boolean = await breaker.execute(async (signal: AbortSignal) => signal.aborted);
    expect(aborted).toBe(false);
    const attempt: number = await retry({ delay: 0 }).execute((_signal, context: AttemptContext) => context.attempt);
    expect(attempt).toBe(1);
    const work: Executable<number> = () => 1;
    expect(await breaker.execute(work)).toBe(1);

    const notCompiled = async (): Promise<void> => {
      // @ts-expect-error -- a parameter that cannot take an AbortSignal is refused
      await breaker.execute(async (signal: undefined) => signal);
      // @ts-expect-error -- the context is read-only
      await breaker.execute(async (_signal, context) => (context.attempt = 2));
    };
    expect(typeof notCompiled).toBe('function');
  });

  it('narrows retry_exhausted on outcome: an error or a result, never both', () => {
    const describe = (event: ResilienceEvent): string => {
      if (event.type !== 'retry_exhausted') return event.type;
      const attempts: number = event.attempts;
      if (event.outcome === 'error') {
        // @ts-expect-error -- an exhausted-on-error event has no result
        void event.result;
        return `${attempts}: ${String(event.error)}`;
      }
      // @ts-expect-error -- an exhausted-on-result event has no error
      void event.error;
      return `${attempts}: ${String(event.result)}`;
    };
    const event: RetryExhaustedEvent = {
      type: 'retry_exhausted',
      at: 0,
      policy: 'retry',
      name: 'retry',
      attempts: 3,
      outcome: 'result',
      result: 'late',
    };
    expect(describe(event)).toBe('3: late');
  });
});
