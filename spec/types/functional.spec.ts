import { bulkhead } from '../../lib/functional/bulkhead.js';
import { circuitBreaker } from '../../lib/functional/circuit-breaker.js';
import { compose } from '../../lib/functional/compose.js';
import { fallback } from '../../lib/functional/fallback.js';
import type { AnyPolicy, ComposedPolicy, Policy } from '../../lib/runtime/policy.js';
import { retry } from '../../lib/functional/retry.js';
import { timeout } from '../../lib/functional/timeout.js';
import { staleResult } from '../../lib/policies/fallback/stale-result.js';
import { expectType, type Equal } from '../support/type-equality.js';

interface Rates {
  readonly usd: number;
}
interface Job {
  readonly id: string;
  readonly status: 'pending' | 'done';
}
const CACHED = { cached: true } as const;
type Cached = typeof CACHED;

const fails = async (): Promise<Rates> => {
  throw new Error('down');
};

// Compiled by `tsc -p tsconfig.json` and `tsc -p tsconfig.legacy.json` (and ts-jest in both projects):
// each `expectType<Equal<…>>()` is an exact check, each `@ts-expect-error` must be an error.
describe('functional API (types)', () => {
  it('fallback(): execute resolves to T | R, R being the awaited result of the handler', async () => {
    const fb = fallback(() => CACHED);
    expectType<Equal<typeof fb, Policy<Cached>>>();
    const value = await fb.execute(fails);
    expectType<Equal<typeof value, Rates | Cached>>();
    // The reason: the call failed, and what came back is the fallback's object, not a Rates.
    expect(value).toBe(CACHED);

    // @ts-expect-error -- the result may be the fallback's, not a number
    const n: number = await fb.execute(async () => 1);
    expect(n).toBe(1);

    const fromPromise = fallback(async (error: unknown) => String(error));
    expectType<Equal<typeof fromPromise, Policy<string>>>();
    const either = await fromPromise.execute(async () => 42);
    expectType<Equal<typeof either, number | string>>();
    expect(either).toBe(42);
  });

  it('fallback(staleResult()) serves only earlier results of fn, so it keeps T', async () => {
    const stale = fallback(staleResult());
    expectType<Equal<typeof stale, Policy>>();
    const first = await stale.execute(async () => ({ usd: 1 }));
    const second = await stale.execute(fails);
    expectType<Equal<typeof second, Rates>>();
    expect(second).toEqual(first);
  });

  it('the other policies keep T exactly', async () => {
    const inputs = [
      retry({ delay: 0 }),
      timeout(1_000),
      bulkhead(2),
      circuitBreaker(),
      compose(retry({ delay: 0 }), timeout(1_000)),
    ] as const;
    for (const policy of inputs) {
      const value = await policy.execute(async () => ({ usd: 2 }));
      expectType<Equal<typeof value, { usd: number }>>();
      expect(value).toEqual({ usd: 2 });
    }
  });

  it('compose(): a fallback anywhere among the policies widens the result; none keeps T', async () => {
    const withFallback = compose(
      retry({ delay: 0 }),
      circuitBreaker(),
      fallback(() => CACHED),
      timeout(1_000),
    );
    expectType<Equal<typeof withFallback, Policy<Cached>>>();
    const value = await withFallback.execute(fails);
    expectType<Equal<typeof value, Rates | Cached>>();
    expect(value).toBe(CACHED);
    // @ts-expect-error -- the composed policy may resolve with the fallback's object
    const rates: Rates = await withFallback.execute(fails);
    expect(rates).toBe(CACHED);

    const ordered = compose(
      { order: ['retry', 'fallback', 'circuitBreaker', 'timeout', 'bulkhead'] },
      retry({ delay: 0 }),
      fallback(() => CACHED),
    );
    expectType<Equal<typeof ordered, Policy<Cached>>>();
    await expect(ordered.execute(fails)).resolves.toBe(CACHED);

    // Nested: a composed policy carries its fallback's type into the next compose().
    const nested = compose(
      compose(
        fallback(() => 0),
        timeout(1_000),
      ),
      retry({ delay: 0 }),
    );
    expectType<Equal<typeof nested, Policy<number>>>();
    await expect(nested.execute(fails)).resolves.toBe(0);

    const none = compose(retry({ delay: 0 }), circuitBreaker(), bulkhead(1));
    expectType<Equal<typeof none, Policy>>();
    const plain = await none.execute(async () => 'ok' as const);
    expectType<Equal<typeof plain, 'ok'>>();
    expect(plain).toBe('ok');
    expectType<Equal<ComposedPolicy<[Policy, Policy<Cached>]>, Policy<Cached>>>();
  });

  it('Policy stays the common type of the policies that keep T; AnyPolicy holds every policy', async () => {
    const plain: Policy[] = [retry(), timeout(1_000), bulkhead(1), circuitBreaker(), compose(retry(), bulkhead(1))];
    // @ts-expect-error -- a fallback policy does not keep T: storing it as Policy would hide its R
    const lie: Policy = fallback(() => CACHED);
    const widened: Policy<Cached> = retry(); // a Policy is a Policy<R> for every R
    const all: AnyPolicy[] = [...plain, lie, widened, fallback(() => 1), retry<Job>()];
    const composeAll = () => compose(...all);
    expectType<Equal<ReturnType<typeof composeAll>, Policy<unknown, never>>>();
    expect(composeAll).toThrow(/at most one policy of each kind/); // two retries, two fallbacks…
    // @ts-expect-error -- AnyPolicy is for storing and composing; its execute cannot be called
    await all[0]?.execute(async () => 1);
    expect(all).toHaveLength(9);
    expect(await compose(...plain.slice(0, 2)).execute(async () => 3)).toBe(3);
  });

  it('retry<T>(): retryOnResult receives T, and execute then accepts only work resolving to a T', async () => {
    let calls = 0;
    const job = async (): Promise<Job> => ({ id: 'j', status: ++calls < 3 ? 'pending' : 'done' });
    const untilDone = retry<Job>({
      delay: 0,
      maxAttempts: 5,
      retryOnResult: (result) => {
        expectType<Equal<typeof result, Job>>();
        return result.status === 'pending';
      },
    });
    expectType<Equal<typeof untilDone, Policy<never, Job>>>();
    const done = await untilDone.execute(job);
    expectType<Equal<typeof done, Job>>();
    expect([done.status, calls]).toEqual(['done', 3]);
    // @ts-expect-error -- retryOnResult was written for a Job; a string would reach it
    await untilDone.execute(async () => 'pending');

    // An annotated predicate gives T too.
    const annotated = retry({ delay: 0, retryOnResult: (r: Job) => r.status === 'pending' });
    expectType<Equal<typeof annotated, Policy<never, Job>>>();
    await expect(annotated.execute(job)).resolves.toEqual({ id: 'j', status: 'done' });
    // Without retryOnResult (or with an unannotated one) anything goes, and the predicate sees unknown.
    const loose = retry({
      delay: 0,
      retryOnResult: (r) => {
        expectType<Equal<typeof r, unknown>>();
        return r === 'again';
      },
    });
    expectType<Equal<typeof loose, Policy>>();
    await expect(loose.execute(async () => 7)).resolves.toBe(7);
    // @ts-expect-error -- a predicate typed for a Job does not accept numbers
    retry<number>({ retryOnResult: (r: Job) => r.status === 'done' });
  });

  it('compose() carries what a retry<T> accepts, together with a fallback result', async () => {
    const policy = compose(
      fallback(() => CACHED),
      retry<Job>({ delay: 0, retryOnResult: (r) => r.status === 'pending' }),
      timeout(1_000),
    );
    expectType<Equal<typeof policy, Policy<Cached, Job>>>();
    const value = await policy.execute(async () => ({ id: 'x', status: 'done' as const }));
    expectType<Equal<typeof value, { id: string; status: 'done' } | Cached>>();
    expect(value).toEqual({ id: 'x', status: 'done' });
    // @ts-expect-error -- the retry inside only takes work resolving to a Job
    await policy.execute(async () => 1);
  });
});
