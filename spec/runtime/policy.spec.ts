import { getEventListeners } from 'node:events';
import { FIRST_ATTEMPT } from '../../lib/runtime/attempt.js';
import { NEVER_ABORTED } from '../../lib/runtime/scope.js';
import { bulkhead } from '../../lib/functional/bulkhead.js';
import { circuitBreaker } from '../../lib/functional/circuit-breaker.js';
import { compose } from '../../lib/functional/compose.js';
import { fallback } from '../../lib/functional/fallback.js';
import type { Policy } from '../../lib/runtime/policy.js';
import { retry } from '../../lib/functional/retry.js';
import { timeout } from '../../lib/functional/timeout.js';

const POLICIES: Array<[string, () => Policy<number>]> = [
  ['circuitBreaker()', () => circuitBreaker()],
  ['retry()', () => retry()],
  ['fallback()', () => fallback(() => 0)],
  ['bulkhead()', () => bulkhead(1)],
  [
    'compose()',
    () =>
      compose(
        fallback(() => 0),
        circuitBreaker(),
        retry(),
        bulkhead(2),
      ),
  ],
];

describe('the functional fn', () => {
  it.each(POLICIES)(
    '%s: receives a real AbortSignal it can read, shared when nothing can cancel the call',
    async (_, make) => {
      const policy = make();
      const seen: AbortSignal[] = [];
      const run = (signal: AbortSignal): Promise<boolean> => {
        seen.push(signal);
        return Promise.resolve(signal.aborted);
      };
      await expect(policy.execute(run)).resolves.toBe(false);
      await expect(policy.execute(run)).resolves.toBe(false);
      expect(seen[0]).toBe(NEVER_ABORTED);
      expect(seen[1]).toBe(NEVER_ABORTED);
      const controller = new AbortController();
      await policy.execute(run, controller.signal);
      expect(seen[2]).toBe(controller.signal);
    },
  );

  it.each(POLICIES)('%s: receives the first attempt context without a retry in play', async (_, make) => {
    const contexts: unknown[] = [];
    await make().execute(async (_signal, context) => void contexts.push(context));
    expect(contexts).toEqual([{ attempt: 1 }]);
    expect(contexts[0]).toBe(FIRST_ATTEMPT);
  });

  it('under a timeout, receives a signal that aborts when the attempt times out', async () => {
    jest.useFakeTimers();
    try {
      let signal: AbortSignal | undefined;
      const result = timeout(100)
        .execute((s) => {
          signal = s;
          return new Promise(() => undefined);
        })
        .catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(100);
      await result;
      expect(signal).not.toBe(NEVER_ABORTED);
      expect(signal?.aborted).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('NEVER_ABORTED', () => {
  it('never aborts, and keeps no abort listener: none could ever run', () => {
    const listener = jest.fn();
    for (let i = 0; i < 100; i++) NEVER_ABORTED.addEventListener('abort', listener);
    expect(getEventListeners(NEVER_ABORTED, 'abort')).toHaveLength(0);
    // An abort event dispatched by hand reaches no other call's listener.
    NEVER_ABORTED.dispatchEvent(new Event('abort'));
    expect(listener).not.toHaveBeenCalled();
    expect(NEVER_ABORTED.aborted).toBe(false);
    expect(() => NEVER_ABORTED.throwIfAborted()).not.toThrow();
  });

  it('still delivers events of other types, and combines with AbortSignal.any', async () => {
    const other = jest.fn();
    NEVER_ABORTED.addEventListener('other', other);
    NEVER_ABORTED.dispatchEvent(new Event('other'));
    NEVER_ABORTED.removeEventListener('other', other);
    expect(other).toHaveBeenCalledTimes(1);
    const controller = new AbortController();
    const any = AbortSignal.any([NEVER_ABORTED, controller.signal]);
    controller.abort('stop');
    expect([any.aborted, any.reason]).toEqual([true, 'stop']);
  });
});
