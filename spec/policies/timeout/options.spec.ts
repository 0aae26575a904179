import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../../lib/errors/policy-config-error.js';
import { resolveTimeoutOptions } from '../../../lib/policies/timeout/options.js';

function fieldsOf(input: unknown): string[] {
  try {
    resolveTimeoutOptions('timeout()', input);
  } catch (error) {
    expect(isPolicyConfigError(error)).toBe(true);
    return (error as PolicyConfigError).issues.map((i) => i.field);
  }
  throw new Error('expected a PolicyConfigError');
}

describe('resolveTimeoutOptions', () => {
  it('accepts a duration alone or in an object, with an optional clock', () => {
    const clock = new ManualClock();
    expect(resolveTimeoutOptions('x', 250)).toEqual({ duration: 250, clock: undefined });
    expect(resolveTimeoutOptions('x', { duration: 2 ** 31 - 1, clock })).toEqual({ duration: 2 ** 31 - 1, clock });
    expect(resolveTimeoutOptions('x', 0.5).duration).toBe(0.5);
  });

  it.each([0, -1, NaN, Infinity, -Infinity, 2 ** 31, '100', null])('rejects duration %p', (duration) => {
    expect(fieldsOf({ duration })).toEqual(['duration']);
    if (typeof duration === 'number') expect(fieldsOf(duration)).toEqual(['duration']);
  });

  it('names the field, the value and the allowed range, and reports every issue at once', () => {
    let message = '';
    try {
      resolveTimeoutOptions('@Timeout on Api.get', { duration: NaN, clock: { now: 1 }, durationMs: 5 });
    } catch (error) {
      message = String(error);
      expect((error as PolicyConfigError).issues.map((i) => i.field)).toEqual(['durationMs', 'duration', 'clock']);
    }
    expect(message).toMatch(/@Timeout on Api\.get/);
    expect(message).toMatch(
      /duration must be a number of milliseconds greater than 0 and at most 2147483647 \(got NaN\)/,
    );
  });

  it('requires a duration', () => {
    expect(fieldsOf(undefined)).toEqual(['duration']);
    expect(fieldsOf({})).toEqual(['duration']);
    expect(fieldsOf([100])).toEqual(['options']);
  });
});
