import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../../lib/errors/policy-config-error.js';
import { resolveBulkheadOptions } from '../../../lib/policies/bulkhead/options.js';

function issuesOf(input: unknown): Array<{ field: string; value: unknown }> {
  try {
    resolveBulkheadOptions('bulkhead()', input);
  } catch (error) {
    expect(isPolicyConfigError(error)).toBe(true);
    return (error as PolicyConfigError).issues.map(({ field, value }) => ({ field, value }));
  }
  throw new Error('expected a PolicyConfigError');
}

describe('resolveBulkheadOptions', () => {
  it('accepts maxConcurrent alone, as a number or an object, and applies defaults', () => {
    const expected = { name: undefined, maxConcurrent: 3, maxQueue: 0, queueTimeout: undefined, clock: undefined };
    expect(resolveBulkheadOptions('x', 3)).toEqual(expected);
    expect(resolveBulkheadOptions('x', { maxConcurrent: 3 })).toEqual(expected);
  });

  it('keeps every valid option', () => {
    const clock = new ManualClock();
    expect(resolveBulkheadOptions('x', { name: 'db', maxConcurrent: 1, maxQueue: 0, queueTimeout: 0, clock })).toEqual({
      name: 'db',
      maxConcurrent: 1,
      maxQueue: 0,
      queueTimeout: 0,
      clock,
    });
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['fractional', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a string', '4'],
  ])('rejects maxConcurrent %s', (_label, maxConcurrent) => {
    expect(issuesOf({ maxConcurrent })).toEqual([{ field: 'maxConcurrent', value: maxConcurrent }]);
  });

  it.each([-1, 0.5, NaN, Infinity])('rejects maxQueue %p', (maxQueue) => {
    expect(issuesOf({ maxConcurrent: 1, maxQueue })).toEqual([{ field: 'maxQueue', value: maxQueue }]);
  });

  it.each([-1, NaN, Infinity, 2 ** 31])('rejects queueTimeout %p', (queueTimeout) => {
    expect(issuesOf({ maxConcurrent: 1, queueTimeout })).toEqual([{ field: 'queueTimeout', value: queueTimeout }]);
  });

  it('reports every bad field at once, unknown keys included, with the allowed range', () => {
    let message = '';
    try {
      resolveBulkheadOptions('@Bulkhead on Db.query', {
        name: '',
        maxConcurrent: 0,
        maxQueue: -2,
        queueTimeout: NaN,
        clock: {},
        maxConcurent: 3,
      });
    } catch (error) {
      message = String(error);
      expect((error as PolicyConfigError).issues.map((i) => i.field).sort()).toEqual(
        ['clock', 'maxConcurent', 'maxConcurrent', 'maxQueue', 'name', 'queueTimeout'].sort(),
      );
    }
    expect(message).toMatch(/@Bulkhead on Db\.query/);
    expect(message).toMatch(/maxConcurrent must be an integer ≥ 1 \(got 0\)/);
    expect(message).toMatch(/queueTimeout must be a number of milliseconds from 0 to 2147483647 \(got NaN\)/);
  });

  it('requires a limit and an object', () => {
    expect(issuesOf(undefined)).toEqual([{ field: 'maxConcurrent', value: undefined }]);
    expect(issuesOf('ten')).toEqual([{ field: 'options', value: 'ten' }]);
    expect(issuesOf({})).toEqual([{ field: 'maxConcurrent', value: undefined }]);
  });
});
