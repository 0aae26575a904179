import { MAX_TIMER_MS, OptionsValidator } from '../../lib/config/validator.js';
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

  it('checks choices, functions and strings', () => {
    expect(
      issuesOf((v) => {
        v.oneOf('jitter', 'half', ['none', 'full']);
        v.func('fn', 1);
        v.string('name', '');
        v.number('x', 0, 0, 1, false);
      }),
    ).toEqual([
      { field: 'jitter', expected: "one of 'none', 'full'" },
      { field: 'fn', expected: 'a function' },
      { field: 'name', expected: 'a non-empty string' },
    ]);
  });

  it('keeps one issue per field: the first', () => {
    const v = new OptionsValidator('x');
    v.fail('a', undefined, 'a value that can be read', 'a could not be read: reading it threw Error: no');
    v.integer('a', undefined, 1);
    v.integer('b', 0, 1);
    expect(v.failed('a')).toBe(true);
    expect(() => v.done()).toThrow(
      'Invalid options for x: a could not be read: reading it threw Error: no; b must be an integer ≥ 1 (got 0)',
    );
  });

  it('reports every issue in one error', () => {
    const v = new OptionsValidator('@Thing on A.b');
    v.integer('a', 0, 1);
    v.duration('b', -5);
    expect(() => v.done()).toThrow(
      'Invalid options for @Thing on A.b: a must be an integer ≥ 1 (got 0); b must be a number of milliseconds from 0 to 2147483647 (got -5)',
    );
  });
});
