import { compose } from '../../lib/functional/compose.js';
import { bulkhead } from '../../lib/functional/bulkhead.js';
import { timeout } from '../../lib/functional/timeout.js';
import { isPolicyConfigError } from '../../lib/errors/policy-config-error.js';
import { isTimeoutError } from '../../lib/errors/timeout-error.js';
import { deferred, flushMicrotasks, track } from '../policies/bulkhead/test-kit.js';

describe('timeout()', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is a policy of kind timeout that validates at creation', () => {
    expect(timeout(10).kind).toBe('timeout');
    expect(() => timeout(0)).toThrow(/duration must be a number of milliseconds greater than 0/);
    try {
      timeout({ duration: 10, extra: true } as never);
    } catch (error) {
      expect(isPolicyConfigError(error)).toBe(true);
    }
    expect.assertions(3);
  });

  it('counts the bulkhead queue wait in the attempt, whatever the argument order of compose', async () => {
    const gate = deferred();
    const policy = compose(bulkhead({ maxConcurrent: 1, maxQueue: 1 }), timeout(100));
    const first = track(policy.execute(() => gate.promise));
    await jest.advanceTimersByTimeAsync(50);
    const queued = track(policy.execute(async () => 'never'));
    await jest.advanceTimersByTimeAsync(50);
    expect(isTimeoutError(first.value)).toBe(true);
    expect(queued.state).toBe('pending');
    await jest.advanceTimersByTimeAsync(50);
    expect(isTimeoutError(queued.value)).toBe(true); // timed out in the queue, never ran
    gate.resolve();
    await flushMicrotasks();
    expect(jest.getTimerCount()).toBe(0);
  });
});
