import { fallback } from '../../lib/functional/fallback.js';
import { BulkheadFullError } from '../../lib/errors/bulkhead-full-error.js';
import { CircuitOpenError } from '../../lib/errors/circuit-open-error.js';
import { isPolicyConfigError } from '../../lib/errors/policy-config-error.js';
import { TimeoutError } from '../../lib/errors/timeout-error.js';
import { events$ } from '../../lib/events/streams.js';
import type { ResilienceEvent } from '../../lib/events/types.js';

describe('fallback()', () => {
  it('returns the result when the call succeeds, without calling the handler', async () => {
    const handler = jest.fn(() => 'fallback');
    await expect(fallback(handler).execute(async () => 'primary')).resolves.toBe('primary');
    expect(handler).not.toHaveBeenCalled();
  });

  it('calls the handler with the error alone and returns its (awaited) result', async () => {
    const boom = new Error('boom');
    const seen: unknown[][] = [];
    const policy = fallback(async (...args: unknown[]) => (seen.push(args), 'cached'));
    await expect(policy.execute(() => Promise.reject(boom))).resolves.toBe('cached');
    expect(seen).toEqual([[boom]]);
  });

  it('runs for an open circuit, a full bulkhead, a timeout, a sync throw and non-Error throws', async () => {
    const failures: unknown[] = [
      new CircuitOpenError('b', 1),
      new BulkheadFullError('bh', 1, 0, 'full'),
      new TimeoutError(10, 'T.m'),
      'a string',
    ];
    for (const failure of failures) {
      await expect(fallback((e) => ({ replaced: e })).execute(() => Promise.reject(failure))).resolves.toEqual({
        replaced: failure,
      });
    }
    const sync = new Error('sync');
    await expect(
      fallback((e) => e).execute(() => {
        throw sync;
      }),
    ).resolves.toBe(sync);
  });

  it('rethrows errors `on` does not match, unchanged and without calling the handler (opossum #540)', async () => {
    const handler = jest.fn(() => 'no');
    const fatal = new TypeError('fatal');
    await expect(fallback(handler, { on: [RangeError] }).execute(() => Promise.reject(fatal))).rejects.toBe(fatal);
    await expect(
      fallback(handler, { on: (e) => e instanceof RangeError }).execute(() => Promise.reject(fatal)),
    ).rejects.toBe(fatal);
    expect(handler).not.toHaveBeenCalled();
    await expect(fallback(() => 'yes', { on: [TypeError] }).execute(() => Promise.reject(fatal))).resolves.toBe('yes');
  });

  it('gives a throwing handler’s error the original as cause (sync and async)', async () => {
    const original = new Error('original');
    const sync = new Error('handler sync');
    const async = new Error('handler async');
    await expect(
      fallback(() => {
        throw sync;
      }).execute(() => Promise.reject(original)),
    ).rejects.toBe(sync);
    expect(sync.cause).toBe(original);
    await expect(
      fallback(async () => {
        throw async;
      }).execute(() => Promise.reject(original)),
    ).rejects.toBe(async);
    expect(async.cause).toBe(original);
  });

  it('passes the original through unchanged when the handler rethrows it, and sets cause even over an existing one', async () => {
    const original = new Error('original');
    await expect(
      fallback((e) => {
        throw e;
      }).execute(() => Promise.reject(original)),
    ).rejects.toBe(original);
    expect(original.cause).toBeUndefined();
    const own = new Error('own', { cause: 'root' });
    await expect(
      fallback(() => {
        throw own;
      }).execute(() => Promise.reject(original)),
    ).rejects.toBe(own);
    expect(own.cause).toBe(original);
  });

  it('rethrows the original error, unchanged, when the on filter itself throws', async () => {
    const original = new Error('original');
    const handler = jest.fn(() => 'fallback');
    const policy = fallback(handler, {
      on: () => {
        throw new Error('filter bug');
      },
    });
    await expect(policy.execute(() => Promise.reject(original))).rejects.toBe(original);
    expect(handler).not.toHaveBeenCalled();
  });

  it('never runs on a caller abort', async () => {
    const handler = jest.fn(() => 'fallback');
    const controller = new AbortController();
    const pending = fallback(handler).execute(
      () =>
        new Promise((_r, reject) =>
          controller.signal.addEventListener('abort', () => reject(new Error('aborted work'))),
        ),
      controller.signal,
    );
    controller.abort(new Error('caller gone'));
    await expect(pending).rejects.toThrow('caller gone');
    await Promise.resolve();
    expect(handler).not.toHaveBeenCalled();
  });

  it("emits a 'fallback' event with the error", async () => {
    const events: ResilienceEvent[] = [];
    const sub = events$.subscribe((e) => events.push(e));
    try {
      const boom = new Error('boom');
      await fallback(() => 1).execute(() => Promise.reject(boom));
      expect(events).toEqual([
        { type: 'fallback', at: expect.any(Number), policy: 'fallback', name: 'fallback', error: boom },
      ]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('rejects an `on` array holding a predicate or a hole, naming the entry (it used to never fall back)', () => {
    const predicate = (): boolean => true;
    expect(() => fallback(() => 1, { on: [predicate as never] })).toThrow(
      'Invalid options for fallback(): on[0] must be an error class, usable with instanceof (a predicate is passed alone, not in an array) (got function predicate)',
    );
    // eslint-disable-next-line no-sparse-arrays
    expect(() => fallback(() => 1, { on: [TimeoutError, ,] as never })).toThrow(/on\[1\] is an empty slot/);
    // The predicate alone is the way to write it.
    expect(() => fallback(() => 1, { on: predicate })).not.toThrow();
  });

  it('validates the handler and options at creation', () => {
    const cases: unknown[][] = [
      ['cached'],
      [undefined],
      [() => 1, { on: [] }],
      [() => 1, { onn: [Error] }],
      [() => 1, 'x'],
    ];
    for (const args of cases) {
      let caught: unknown;
      try {
        (fallback as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        caught = error;
      }
      expect(isPolicyConfigError(caught)).toBe(true);
    }
  });
});
