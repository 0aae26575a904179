import { MAX_TIMER_MS, OptionsValidator, optionsObject } from '../../lib/config/validator.js';
import { PolicyConfigError } from '../../lib/errors/policy-config-error.js';

const issuesOf = (fill: (v: OptionsValidator) => void): Array<{ field: string; expected: string }> => {
  const v = new OptionsValidator('test');
  fill(v);
  try {
    v.done();
    return [];
  } catch (e) {
    return (e as PolicyConfigError).issues.map(({ field, expected }) => ({ field, expected }));
  }
};

describe('OptionsValidator', () => {
  it.each([Number.NaN, Infinity, -Infinity, -1, 1.5, '3', undefined])('rejects %p as a count', (value) => {
    expect(issuesOf((v) => v.integer('n', value, 1))).toEqual([{ field: 'n', expected: 'an integer ≥ 1' }]);
  });

  it('accepts counts in range, optional ones when absent, and names bounded ranges', () => {
    expect(issuesOf((v) => v.integer('n', 1, 1))).toEqual([]);
    expect(issuesOf((v) => v.integer('n', undefined, 1, 10, true))).toEqual([]);
    expect(issuesOf((v) => v.integer('n', 11, 1, 10))).toEqual([{ field: 'n', expected: 'an integer from 1 to 10' }]);
  });

  it.each([Number.NaN, Infinity, -1, MAX_TIMER_MS + 1, null])('rejects %p as a duration', (value) => {
    expect(issuesOf((v) => v.duration('d', value))).toEqual([
      { field: 'd', expected: `a number of milliseconds from 0 to ${MAX_TIMER_MS}` },
    ]);
  });

  it.each([0, -0.1, 1.01, Number.NaN, Infinity])('rejects %p as a rate', (value) => {
    expect(issuesOf((v) => v.rate('r', value))).toEqual([{ field: 'r', expected: 'a number in (0, 1]' }]);
  });

  it('accepts 1 and tiny positive rates', () => {
    expect(
      issuesOf((v) => {
        v.rate('r', 1);
        v.rate('r', 1e-9);
      }),
    ).toEqual([]);
  });

  it('checks choices, functions, strings, error filters and unknown keys', () => {
    expect(
      issuesOf((v) => {
        v.oneOf('jitter', 'half', ['none', 'full']);
        v.func('fn', 1);
        v.string('name', '');
        v.errorFilter('on', []);
        v.errorFilter('on2', [1]);
        v.errorFilter('on3', () => true);
        v.errorFilter('on4', [TypeError]);
        v.number('x', 0, 0, 1, false);
        v.knownKeys({ a: 1, typo: 2 }, ['a']);
      }),
    ).toEqual([
      { field: 'jitter', expected: "one of 'none', 'full'" },
      { field: 'fn', expected: 'a function' },
      { field: 'name', expected: 'a non-empty string' },
      { field: 'on', expected: 'a non-empty array of error classes or a predicate function' },
      { field: 'on2', expected: 'a non-empty array of error classes or a predicate function' },
      { field: 'typo', expected: 'one of the known options (a)' },
    ]);
  });

  it('reports every issue in one error', () => {
    const v = new OptionsValidator('@Thing on A.b');
    v.integer('a', 0, 1);
    v.duration('b', -5);
    expect(() => v.done()).toThrow(
      'Invalid options for @Thing on A.b: a must be an integer ≥ 1 (got 0); b must be a number of milliseconds from 0 to 2147483647 (got -5)',
    );
  });

  it('requires options to be an object', () => {
    expect(optionsObject('x', undefined)).toEqual({});
    expect(() => optionsObject('x', 5)).toThrow(/options must be an object \(got 5\)/);
    expect(() => optionsObject('x', [1])).toThrow(/options must be an object/);
  });
});
