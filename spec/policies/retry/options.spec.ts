import { CircuitOpenError } from '../../../lib/errors/circuit-open-error.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../../lib/errors/policy-config-error.js';
import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { resolveRetryOptions } from '../../../lib/policies/retry/options.js';

function issuesOf(options: unknown): Array<[string, unknown]> {
  try {
    resolveRetryOptions('retry()', options);
  } catch (error) {
    expect(isPolicyConfigError(error)).toBe(true);
    return (error as PolicyConfigError).issues.map((i) => [i.field, i.value]);
  }
  return [];
}

describe('retry options', () => {
  it('applies the documented defaults', () => {
    const r = resolveRetryOptions('retry()', undefined);
    expect(r).toMatchObject({
      maxAttempts: 3,
      delay: 100,
      backoff: 'exponential',
      factor: 2,
      maxDelay: 30_000,
      jitter: 'full',
      retryOnResult: undefined,
      clock: undefined,
    });
    expect(r.random).toBe(Math.random);
  });

  it('accepts every valid option', () => {
    const clock = new ManualClock();
    const random = () => 0.5;
    const r = resolveRetryOptions('retry()', {
      maxAttempts: 1,
      delay: 0,
      backoff: 'linear',
      factor: 1,
      maxDelay: 0,
      jitter: 'decorrelated',
      retryOn: [TypeError],
      retryOnResult: () => false,
      clock,
      random,
    });
    expect(r).toMatchObject({
      maxAttempts: 1,
      delay: 0,
      backoff: 'linear',
      factor: 1,
      maxDelay: 0,
      jitter: 'decorrelated',
      clock,
      random,
    });
  });

  it.each([
    [{ maxAttempts: 0 }, 'maxAttempts'],
    [{ maxAttempts: 1.5 }, 'maxAttempts'],
    [{ maxAttempts: Number.NaN }, 'maxAttempts'],
    [{ maxAttempts: Infinity }, 'maxAttempts'],
    [{ delay: -1 }, 'delay'],
    [{ delay: Number.NaN }, 'delay'],
    [{ delay: 2 ** 31 }, 'delay'],
    [{ maxDelay: 2 ** 31 }, 'maxDelay'],
    [{ maxDelay: Infinity }, 'maxDelay'],
    [{ factor: 0.5 }, 'factor'],
    [{ factor: Number.NaN }, 'factor'],
    [{ factor: Infinity }, 'factor'],
    [{ backoff: 'quadratic' }, 'backoff'],
    [{ jitter: 'half' }, 'jitter'],
    [{ retryOn: [] }, 'retryOn'],
    [{ retryOn: ['TypeError'] }, 'retryOn[0]'],
    [{ retryOnResult: true }, 'retryOnResult'],
    [{ random: 0.5 }, 'random'],
    [{ clock: {} }, 'clock'],
    [{ maxAttemps: 3 }, 'maxAttemps'],
    [{ delay: 500, maxDelay: 100 }, 'delay'],
    [{ delay: 40_000 }, 'delay'],
  ])('rejects %p, naming %s', (options, field) => {
    expect(issuesOf(options).map(([f]) => f)).toEqual([field]);
  });

  describe('delay and a smaller maxDelay', () => {
    it('lets the default delay follow a smaller maxDelay', () => {
      expect(resolveRetryOptions('retry()', { maxDelay: 50 })).toMatchObject({ delay: 50, maxDelay: 50 });
      expect(resolveRetryOptions('retry()', { maxDelay: 0 })).toMatchObject({ delay: 0, maxDelay: 0 });
      expect(resolveRetryOptions('retry()', { maxDelay: 500 })).toMatchObject({ delay: 100, maxDelay: 500 });
    });

    it('still rejects an explicit delay above maxDelay, naming both values', () => {
      expect(() => resolveRetryOptions('retry()', { delay: 100, maxDelay: 50 })).toThrow(
        'Invalid options for retry(): delay must be at most maxDelay (50) (got 100)',
      );
    });

    it('reports a bad maxDelay alone, not the default delay too', () => {
      expect(issuesOf({ maxDelay: -1 })).toEqual([['maxDelay', -1]]);
      expect(issuesOf({ maxDelay: Number.NaN })).toEqual([['maxDelay', Number.NaN]]);
    });
  });

  describe('retryOn entries', () => {
    it('rejects a predicate put in an array, holes and non-classes, by index', () => {
      expect(issuesOf({ retryOn: [(e: unknown) => e instanceof Error] }).map(([f]) => f)).toEqual(['retryOn[0]']);
      // eslint-disable-next-line no-sparse-arrays
      expect(issuesOf({ retryOn: [, ,] }).map(([f]) => f)).toEqual(['retryOn[0]', 'retryOn[1]']);
      expect(issuesOf({ retryOn: [TypeError, 42] })).toEqual([['retryOn[1]', 42]]);
    });
  });

  it('reports every bad field at once, with value and what is allowed', () => {
    try {
      resolveRetryOptions('@Retry on Client.get', { maxAttempts: 0, delay: -5, factor: Number.NaN, jitter: 'wild' });
      throw new Error('should have thrown');
    } catch (error) {
      const e = error as PolicyConfigError;
      expect(e.issues.map((i) => i.field)).toEqual(['maxAttempts', 'delay', 'factor', 'jitter']);
      expect(e.message).toContain('@Retry on Client.get');
      expect(e.message).toContain('maxAttempts must be an integer ≥ 1 (got 0)');
      expect(e.message).toContain('factor must be a finite number ≥ 1 (got NaN)');
      expect(e.message).toContain("jitter must be one of 'none', 'full', 'equal', 'decorrelated' (got \"wild\")");
    }
  });

  it('rejects options that are not an object', () => {
    expect(issuesOf(5)).toEqual([['options', 5]]);
    expect(issuesOf([])).toEqual([['options', []]]);
  });

  describe('retryOn', () => {
    const open = new CircuitOpenError('b', 10);
    it('by default retries every error but an open circuit', () => {
      const { retryOn } = resolveRetryOptions('retry()', {});
      expect([retryOn(new Error('x')), retryOn('a string'), retryOn(open)]).toEqual([true, true, false]);
    });
    it('an array matches with instanceof, but not an open circuit unless it lists CircuitOpenError', () => {
      expect(resolveRetryOptions('retry()', { retryOn: [Error] }).retryOn(open)).toBe(false);
      expect(resolveRetryOptions('retry()', { retryOn: [Error] }).retryOn(new RangeError('r'))).toBe(true);
      expect(resolveRetryOptions('retry()', { retryOn: [TypeError] }).retryOn(new RangeError('r'))).toBe(false);
      expect(resolveRetryOptions('retry()', { retryOn: [CircuitOpenError] }).retryOn(open)).toBe(true);
    });
    it('a predicate decides alone', () => {
      const seen: unknown[] = [];
      const { retryOn } = resolveRetryOptions('retry()', { retryOn: (e: unknown) => (seen.push(e), e === open) });
      expect([retryOn(open), retryOn(new Error('x'))]).toEqual([true, false]);
      expect(seen).toHaveLength(2);
    });
  });
});
