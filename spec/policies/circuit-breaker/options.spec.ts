import { ManualClock } from '../../../lib/clock/manual-clock';
import { isPolicyConfigError, type PolicyConfigError } from '../../../lib/errors/policy-config-error';
import { MAX_WINDOW_SIZE } from '../../../lib/policies/circuit-breaker/options';
import {
  optionDifferences,
  resolveCircuitBreakerOptions,
} from '../../../lib/policies/circuit-breaker/validate-options';

const MAX = 2 ** 31 - 1;

function issuesOf(raw: unknown, functional = false): Array<{ field: string; value: unknown }> {
  try {
    resolveCircuitBreakerOptions('@CircuitBreaker on Test.method', raw, functional);
  } catch (error) {
    expect(isPolicyConfigError(error)).toBe(true);
    return (error as PolicyConfigError).issues.map(({ field, value }) => ({ field, value }));
  }
  throw new Error('expected a PolicyConfigError');
}

function fieldsOf(raw: unknown, functional = false): string[] {
  return issuesOf(raw, functional).map((i) => i.field);
}

describe('resolveCircuitBreakerOptions', () => {
  it('resolves every default', () => {
    const c = resolveCircuitBreakerOptions('x', undefined);
    expect(c).toMatchObject({
      name: undefined,
      scope: 'shared',
      thresholdRule: 'consecutive',
      failureThreshold: 5,
      slidingWindow: { type: 'count', size: 100 },
      minimumCalls: 10,
      resetTimeout: 60_000,
      halfOpenMaxCalls: 1,
      successThreshold: 2,
      halfOpenMaxWait: undefined,
    });
  });

  it('reports every bad field at once, with its value', () => {
    const issues = issuesOf({
      name: '',
      scope: 'global',
      failureThreshold: 0,
      failureWindow: -1,
      failureRateThreshold: 0,
      slowCallDuration: Number.NaN,
      slowCallRateThreshold: 1.5,
      minimumCalls: 2.5,
      resetTimeout: MAX + 1,
      halfOpenMaxCalls: Infinity,
      successThreshold: -Infinity,
      halfOpenMaxWait: 0,
      failurePredicate: 'yes',
      clock: {},
      retries: 3,
    });
    expect(issues.map((i) => i.field).sort()).toEqual(
      [
        'name',
        'scope',
        'failureThreshold',
        'failureWindow',
        'failureRateThreshold',
        'slowCallDuration',
        'slowCallRateThreshold',
        'minimumCalls',
        'resetTimeout',
        'halfOpenMaxCalls',
        'successThreshold',
        'halfOpenMaxWait',
        'failurePredicate',
        'clock',
        'retries',
      ].sort(),
    );
    expect(issues).toContainEqual({ field: 'failureThreshold', value: 0 });
    expect(issues).toContainEqual({ field: 'retries', value: 3 });
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a negative', -1],
    ['a non-integer', 1.5],
    ['zero', 0],
    ['a string', '5'],
  ])('rejects %s as a count', (_label, value) => {
    for (const field of ['failureThreshold', 'halfOpenMaxCalls', 'successThreshold', 'minimumCalls']) {
      expect(fieldsOf({ [field]: value })).toEqual([field]);
    }
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['a negative', -5],
    ['2^31', 2 ** 31],
  ])('rejects %s as a duration', (_label, value) => {
    for (const field of ['failureWindow', 'slowCallDuration', 'resetTimeout', 'halfOpenMaxWait']) {
      expect(fieldsOf({ [field]: value })).toEqual([field]);
    }
    expect(fieldsOf({ slidingWindow: { type: 'time', duration: value } })).toEqual(['slidingWindow.duration']);
  });

  it('accepts the bounds of each range', () => {
    expect(() =>
      resolveCircuitBreakerOptions('x', {
        failureThreshold: 1,
        failureWindow: MAX,
        failureRateThreshold: 1,
        slowCallDuration: MAX,
        slowCallRateThreshold: Number.MIN_VALUE,
        resetTimeout: 0,
        halfOpenMaxWait: 1,
        slidingWindow: { type: 'count', size: 1 },
        minimumCalls: 1,
      }),
    ).not.toThrow();
  });

  it.each([
    ['NaN', Number.NaN],
    ['zero', 0],
    ['above one', 1.0001],
    ['negative', -0.5],
    ['Infinity', Infinity],
  ])('rejects a rate that is %s', (_label, value) => {
    expect(fieldsOf({ failureRateThreshold: value, slowCallRateThreshold: value, slowCallDuration: 100 })).toEqual([
      'failureRateThreshold',
      'slowCallRateThreshold',
    ]);
  });

  it('requires slowCallDuration with slowCallRateThreshold', () => {
    expect(fieldsOf({ slowCallRateThreshold: 0.5 })).toEqual(['slowCallDuration']);
  });

  it('rejects minimumCalls larger than a count window, and shrinks its default to the window', () => {
    expect(fieldsOf({ slidingWindow: { type: 'count', size: 5 }, minimumCalls: 6 })).toEqual(['minimumCalls']);
    expect(resolveCircuitBreakerOptions('x', { slidingWindow: { type: 'count', size: 5 } }).minimumCalls).toBe(5);
    expect(
      resolveCircuitBreakerOptions('x', { slidingWindow: { type: 'time', duration: 1000 }, minimumCalls: 500 })
        .minimumCalls,
    ).toBe(500);
  });

  it.each([
    [null],
    ['count'],
    [{ type: 'count' }],
    [{ type: 'count', size: 10, duration: 5 }],
    [{ type: 'sliding', size: 10 }],
    [{ type: 'time', size: 10 }],
  ])('rejects the sliding window %p', (window) => {
    const fields = fieldsOf({ slidingWindow: window });
    expect(fields.length).toBe(1);
    expect(fields[0]).toMatch(/^slidingWindow/);
  });

  it('bounds the allocations a count can cause', () => {
    expect(fieldsOf({ slidingWindow: { type: 'count', size: MAX_WINDOW_SIZE + 1 } })).toEqual(['slidingWindow.size']);
    expect(fieldsOf({ failureWindow: 1000, failureThreshold: MAX_WINDOW_SIZE + 1 })).toEqual(['failureThreshold']);
    expect(() => resolveCircuitBreakerOptions('x', { failureThreshold: MAX_WINDOW_SIZE + 1 })).not.toThrow();
  });

  it('rejects options that are not an object', () => {
    expect(fieldsOf(5)).toEqual(['options']);
    expect(fieldsOf([])).toEqual(['options']);
  });

  it("rejects scope 'instance' in the functional API only", () => {
    expect(fieldsOf({ scope: 'instance' }, true)).toEqual(['scope']);
    expect(resolveCircuitBreakerOptions('x', { scope: 'instance' }).scope).toBe('instance');
  });

  it('names the field, the value and the allowed range in the message', () => {
    expect(() => resolveCircuitBreakerOptions('@CircuitBreaker on A.b', { failureRateThreshold: Number.NaN })).toThrow(
      /@CircuitBreaker on A\.b.*failureRateThreshold must be a number in \(0, 1\] \(got NaN\)/,
    );
  });

  describe('active rules', () => {
    it.each([
      [{}, 'consecutive'],
      [{ failureWindow: 1000 }, 'window'],
      [{ failureRateThreshold: 0.5 }, undefined],
      [{ slowCallRateThreshold: 0.5, slowCallDuration: 10 }, undefined],
      [{ failureRateThreshold: 0.5, failureThreshold: 3 }, 'consecutive'],
      [{ failureRateThreshold: 0.5, failureWindow: 1000, failureThreshold: 4 }, 'window'],
    ])('%p → %p', (raw, rule) => {
      expect(resolveCircuitBreakerOptions('x', raw).thresholdRule).toBe(rule);
    });

    it('rejects a failureWindow that the rate rules would silently override', () => {
      expect(() => resolveCircuitBreakerOptions('x', { failureRateThreshold: 0.5, failureWindow: 1000 })).toThrow(
        /failureWindow must be given together with failureThreshold when a rate threshold is set \(alone it has no effect\) \(got 1000\)/,
      );
    });
  });
});

describe('optionDifferences', () => {
  const sameOptions = (...configs: Parameters<typeof optionDifferences>): boolean =>
    optionDifferences(...configs).length === 0;
  const cfg = (raw: object): ReturnType<typeof resolveCircuitBreakerOptions> => resolveCircuitBreakerOptions('x', raw);

  it('treats an omitted option as its default', () => {
    expect(
      sameOptions(
        cfg({}),
        cfg({ failureThreshold: 5, resetTimeout: 60_000, slidingWindow: { type: 'count', size: 100 } }),
      ),
    ).toBe(true);
  });

  it('compares functions and clocks by identity', () => {
    const p = (): boolean => true;
    const clock = new ManualClock();
    expect(sameOptions(cfg({ failurePredicate: p, clock }), cfg({ failurePredicate: p, clock }))).toBe(true);
    expect(sameOptions(cfg({ failurePredicate: p }), cfg({ failurePredicate: () => true }))).toBe(false);
    expect(sameOptions(cfg({ clock }), cfg({ clock: new ManualClock() }))).toBe(false);
  });

  it('lists what differs', () => {
    expect(
      optionDifferences(cfg({ failureThreshold: 3 }), cfg({ slidingWindow: { type: 'time', duration: 100 } })),
    ).toEqual(['failureThreshold', 'slidingWindow']);
    // Same values, but the default threshold is off when only a rate is given.
    expect(
      optionDifferences(cfg({ failureRateThreshold: 0.5 }), cfg({ failureRateThreshold: 0.5, failureThreshold: 5 })),
    ).toEqual(['failureThreshold (given explicitly or not)']);
  });
});
