import { compose } from '../../lib/functional/compose';
import { circuitBreaker } from '../../lib/functional/circuit-breaker';
import { retry } from '../../lib/functional/retry';
import { isPolicyConfigError } from '../../lib/errors/policy-config-error';
import { getCircuitBreaker, listCircuitBreakers } from '../../lib/policies/circuit-breaker/registry';

describe('circuitBreaker()', () => {
  it('is anonymous without a name: not registered, named circuitBreaker', async () => {
    const before = listCircuitBreakers().length;
    const b = circuitBreaker();
    await b.execute(() => 'value');
    expect(b.name).toBe('circuitBreaker');
    expect(listCircuitBreakers()).toHaveLength(before);
  });

  it('registers a named breaker at creation and returns the same one for the same name', () => {
    const a = circuitBreaker({ name: 'fn-named' });
    expect(getCircuitBreaker('fn-named')).toBe(a);
    expect(circuitBreaker({ name: 'fn-named' })).toBe(a);
    expect(() => circuitBreaker({ name: 'fn-named', halfOpenMaxCalls: 2 })).toThrow(/differs in halfOpenMaxCalls/);
  });

  it('validates at creation', () => {
    let error: unknown;
    try {
      circuitBreaker({ successThreshold: 1.5, slowCallRateThreshold: 0.5, scope: 'instance' });
    } catch (e) {
      error = e;
    }
    expect(isPolicyConfigError(error)).toBe(true);
    expect((error as { issues: Array<{ field: string }> }).issues.map((i) => i.field)).toEqual([
      'scope',
      'slowCallDuration',
      'successThreshold',
    ]);
  });

  it('passes the caller signal to the function and returns its value', async () => {
    const b = circuitBreaker();
    const controller = new AbortController();
    await expect(b.execute((signal) => Promise.resolve(signal === controller.signal), controller.signal)).resolves.toBe(
      true,
    );
  });

  it('composes: an open breaker stops a retry inside from making another attempt', async () => {
    jest.useFakeTimers();
    try {
      const breaker = circuitBreaker({ name: 'fn-compose', failureThreshold: 1 });
      const policy = compose(retry({ maxAttempts: 5, delay: 1000, jitter: 'none', backoff: 'fixed' }), breaker);
      let attempts = 0;
      const last = new Error('attempt failed');
      const slow = policy.execute(() => {
        attempts++;
        return Promise.reject(last);
      });
      const outcome = slow.then(
        () => 'resolved',
        (e: unknown) => e,
      );
      // Let the first attempt fail and the retry start its sleep.
      for (let i = 0; i < 50 && jest.getTimerCount() === 0; i++) await Promise.resolve();
      expect(jest.getTimerCount()).toBe(1);
      await breaker.execute(() => Promise.reject(new Error('other call'))).catch(() => undefined); // opens the breaker
      await jest.advanceTimersByTimeAsync(1000);
      expect(await outcome).toBe(last);
      expect(attempts).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
