import { createClient } from 'redis';
import { CircuitBreaker, circuitBreaker, isPolicyConfigError, setPolicyDefaults } from '../../../../lib/index';
import { redisStore } from '../../../../lib/integrations/redis/index';
import { mirrorState, isNews } from '../../../../lib/policies/circuit-breaker/store/mirror';
import { sharedRules, DEFAULT_PROBE_LEASE } from '../../../../lib/policies/circuit-breaker/store/rules';
import { resolveCircuitBreakerOptions } from '../../../../lib/policies/circuit-breaker/validate-options';
import type { SharedCircuitState } from '../../../../lib/index';

// The `store` and `consistency` options: checked where they are written (class definition for a
// decorator), with what a shared circuit rules out. A client that is never connected is enough here:
// nothing is sent before a breaker's first call.

const store = redisStore(createClient());

function issues(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isPolicyConfigError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a PolicyConfigError');
}

describe('the store option', () => {
  it('needs a name, and rules out per-instance breakers and saved states', () => {
    expect(issues(() => circuitBreaker({ store }))).toMatch(/name must be a non-empty string \(required by store/);
    expect(
      issues(() => resolveCircuitBreakerOptions('@CircuitBreaker on A.b', { name: 'x', store, scope: 'instance' })),
    ).toContain("scope must be 'shared' (a store shares one breaker by name");
    const saved = circuitBreaker().saveState();
    expect(issues(() => circuitBreaker({ name: 'saved', store, initialState: saved }))).toContain(
      'initialState must be omitted with a store',
    );
  });

  it('fails at class definition, naming the field, for a decorator', () => {
    expect(
      issues(() => {
        class Api {
          @CircuitBreaker({ store })
          async call(): Promise<void> {}
        }
        return Api;
      }),
    ).toMatch(/@CircuitBreaker on (Api\.)?call: name must be a non-empty string/);
  });

  it('accepts only a store, and consistency only with one', () => {
    expect(issues(() => circuitBreaker({ name: 'bad-store', store: {} as never }))).toContain(
      'store must be a breaker store (an object with session(), commandTimeout and onStoreFailure',
    );
    expect(issues(() => circuitBreaker({ name: 'strict-alone', consistency: 'strict' }))).toContain(
      "consistency must be 'eventual' (or omitted) without a store",
    );
    expect(issues(() => circuitBreaker({ name: 'c', store, consistency: 'always' as never }))).toContain(
      "consistency must be one of 'eventual', 'strict'",
    );
  });

  it('is part of what a name means: the same name with another store, or none, is another breaker', () => {
    const name = `store-identity-${process.pid}`;
    const first = circuitBreaker({ name, store });
    expect(circuitBreaker({ name, store })).toBe(first);
    expect(issues(() => circuitBreaker({ name }))).toMatch(/store/);
    expect(issues(() => circuitBreaker({ name, store, consistency: 'strict' }))).toMatch(/consistency/);
    first.dispose();
  });

  it('is no policy default', () => {
    expect(issues(() => setPolicyDefaults({ circuitBreaker: { store } as never }))).toMatch(/store/);
  });
});

describe('the rules a store receives', () => {
  it('carry the resolved options, the lease from halfOpenMaxWait, and the reset delay clamped', () => {
    const config = resolveCircuitBreakerOptions('t', {
      failureRateThreshold: 0.5,
      resetTimeout: (opens: number) => (opens > 2 ? Number.NaN : 1_000 * opens),
      halfOpenMaxWait: 2_000,
    });
    const rules = sharedRules(config);
    expect(rules).toMatchObject({
      thresholdRule: undefined,
      failureRateThreshold: 0.5,
      slidingWindow: { type: 'count', size: 100 },
      minimumCalls: 10,
      probeLease: 2_000,
    });
    expect([1, 2, 3].map((n) => rules.resetDelay(n))).toEqual([1_000, 2_000, 2 ** 31 - 1]);
    expect(sharedRules(resolveCircuitBreakerOptions('t', {})).probeLease).toBe(DEFAULT_PROBE_LEASE);
  });
});

describe('the local copy of a shared state', () => {
  const shared = (over: Partial<SharedCircuitState>): SharedCircuitState => ({
    state: 'closed',
    gen: 10,
    retryAfter: 0,
    consecutiveOpens: 0,
    reason: undefined,
    openedAt: null,
    granted: false,
    window: { calls: 0, failedCalls: 0, slowCalls: 0, slowFailedCalls: 0 },
    ...over,
  });

  it('turns the remaining open time into a local deadline', () => {
    expect(mirrorState(shared({ state: 'open', retryAfter: 300, consecutiveOpens: 2 }), 1_000)).toEqual({
      kind: 'open',
      gen: 10,
      until: 1_300,
      consecutiveOpens: 2,
    });
    expect(mirrorState(shared({ state: 'half_open', consecutiveOpens: 1 }), 5)).toMatchObject({
      kind: 'half_open',
      inFlight: 0,
    });
    expect(mirrorState(shared({ state: 'forced_open' }), 5)).toEqual({ kind: 'forced_open', gen: 10 });
  });

  it('takes a later generation, or a store that lost the breaker, as news; an older one is not', () => {
    expect(isNews(shared({ gen: 11 }), 10)).toBe(true);
    expect(isNews(shared({ gen: 9 }), 10)).toBe(false);
    expect(isNews(shared({ gen: 10 }), 10)).toBe(false);
    expect(isNews(shared({ gen: 0 }), 10)).toBe(true);
    expect(isNews(shared({ gen: 0 }), -1)).toBe(true);
    expect(isNews(shared({ gen: 0 }), 0)).toBe(false);
  });
});
