import { isBulkheadFullError } from '../../lib/errors/bulkhead-full-error.js';
import { bulkhead } from '../../lib/functional/bulkhead.js';
import { circuitBreaker } from '../../lib/functional/circuit-breaker.js';
import { compose } from '../../lib/functional/compose.js';
import { fallback } from '../../lib/functional/fallback.js';
import { retry } from '../../lib/functional/retry.js';
import { isCircuitOpenError } from '../../lib/errors/circuit-open-error.js';
import { staleResult } from '../../lib/policies/fallback/stale-result.js';

function failing(): { fn: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return { fn: () => (calls++, Promise.reject(new Error(`failure ${calls}`))), calls: () => calls };
}

describe('compose() with retry and fallback', () => {
  it('applies the default order whatever the argument order: the fallback sees the call after all retries', async () => {
    for (const policy of [
      compose(
        retry({ delay: 0 }),
        fallback(() => 'fb'),
      ),
      compose(
        fallback(() => 'fb'),
        retry({ delay: 0 }),
      ),
    ]) {
      const work = failing();
      await expect(policy.execute(work.fn)).resolves.toBe('fb');
      expect(work.calls()).toBe(3);
      expect(policy.kind).toBe('fallback');
    }
  });

  it('follows { order } when given: a fallback inside the retry ends the call at the first failure', async () => {
    const policy = compose(
      { order: ['retry', 'fallback', 'circuitBreaker', 'timeout', 'bulkhead'] },
      fallback(() => 'fb'),
      retry({ delay: 0 }),
    );
    const work = failing();
    await expect(policy.execute(work.fn)).resolves.toBe('fb');
    expect(work.calls()).toBe(1);
    expect(policy.kind).toBe('retry');
  });

  it('breaker over retry by default: one call with all its attempts is one breaker outcome', async () => {
    const breaker = circuitBreaker({ name: 'compose-default', failureThreshold: 2 });
    const policy = compose(retry({ delay: 0 }), breaker);
    const work = failing();
    await expect(policy.execute(work.fn)).rejects.toThrow('failure 3');
    expect(work.calls()).toBe(3);
    expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 1, totalCalls: 1 });
    expect(breaker.state).toBe('closed');
  });

  it('retry over breaker with { order }: each attempt counts, and an open circuit is not retried', async () => {
    const breaker = circuitBreaker({ name: 'compose-retry-outside', failureThreshold: 1 });
    const policy = compose(
      { order: ['fallback', 'retry', 'circuitBreaker', 'timeout', 'bulkhead'] },
      breaker,
      retry({ delay: 0, maxAttempts: 5 }),
    );
    const work = failing();
    const error = await policy.execute(work.fn).catch((e: unknown) => e);
    expect(isCircuitOpenError(error)).toBe(true);
    expect(work.calls()).toBe(1);
    expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 1, rejectedCalls: 1 });
  });

  it('records successes into staleResult() through a composed policy', async () => {
    const policy = compose(retry({ delay: 0, maxAttempts: 2 }), fallback(staleResult()));
    await expect(policy.execute(async () => 'fresh')).resolves.toBe('fresh');
    const work = failing();
    await expect(policy.execute(work.fn)).resolves.toBe('fresh');
    expect(work.calls()).toBe(2);
  });

  describe('which BulkheadFullError is a breaker failure', () => {
    /** A bulkhead with its one slot held until `release()`. */
    function saturated(): { pool: ReturnType<typeof bulkhead>; release: () => Promise<unknown> } {
      const pool = bulkhead({ maxConcurrent: 1 });
      let open!: () => void;
      const held = pool.execute(() => new Promise<void>((resolve) => (open = resolve)));
      return { pool, release: () => (open(), held) };
    }

    it("ignores the rejections of the composed policy's own bulkhead, with a retry between them too", async () => {
      for (const withRetry of [false, true]) {
        const { pool, release } = saturated();
        const breaker = circuitBreaker({ name: `compose-own-bulkhead-${withRetry}`, failureThreshold: 1 });
        const policy = withRetry ? compose(breaker, retry({ delay: 0 }), pool) : compose(breaker, pool);
        const error = await policy.execute(async () => 'ok').catch((e: unknown) => e);
        expect(isBulkheadFullError(error)).toBe(true);
        expect(breaker.state).toBe('closed');
        expect(breaker.snapshot().metrics).toMatchObject({ ignoredCalls: 1, failedCalls: 0 });
        await release();
      }
    });

    it("counts a dependency's bulkhead rejection (another policy's) as a failure", async () => {
      const { pool: downstream, release } = saturated();
      const breaker = circuitBreaker({ name: 'compose-downstream-bulkhead', failureThreshold: 2 });
      const policies = [compose(breaker, bulkhead(10)), breaker];
      for (const policy of policies) {
        const error = await policy.execute(() => downstream.execute(async () => 'data')).catch((e: unknown) => e);
        expect(isBulkheadFullError(error)).toBe(true);
      }
      expect(breaker.state).toBe('open');
      expect(breaker.snapshot().metrics).toMatchObject({ failedCalls: 2, ignoredCalls: 0 });
      await release();
    });
  });
});
