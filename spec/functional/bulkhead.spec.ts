import { bulkhead } from '../../lib/functional/bulkhead.js';
import { compose } from '../../lib/functional/compose.js';
import { timeout } from '../../lib/functional/timeout.js';
import { isBulkheadFullError } from '../../lib/errors/bulkhead-full-error.js';
import { deferred, flushMicrotasks, track } from '../policies/bulkhead/test-kit.js';

describe('bulkhead()', () => {
  it('returns a runnable policy that is also the handle', async () => {
    const b = bulkhead({ name: 'fn-handle', maxConcurrent: 1, maxQueue: 1 });
    expect(b.kind).toBe('bulkhead');
    expect([b.name, b.maxConcurrent, b.maxQueue]).toEqual(['fn-handle', 1, 1]);
    const gate = deferred<number>();
    const events: unknown[] = [];
    const sub = b.events$.subscribe((e) => events.push(e.reason));
    const running = b.execute(() => gate.promise);
    const waiting = b.execute(async () => 2);
    const refused = track(b.execute(async () => 3));
    await flushMicrotasks();
    expect(b.snapshot()).toEqual({
      name: 'fn-handle',
      maxConcurrent: 1,
      maxQueue: 1,
      active: 1,
      queued: 1,
      available: 0,
    });
    expect(isBulkheadFullError(refused.value)).toBe(true);
    expect(events).toEqual(['full']);
    gate.resolve(1);
    await expect(Promise.all([running, waiting])).resolves.toEqual([1, 2]);
    sub.unsubscribe();
  });

  it('passes the call signal to the function when composed with a timeout', async () => {
    const policy = compose(timeout(1_000), bulkhead(2));
    const seen = await policy.execute(async (signal) => signal instanceof AbortSignal && !signal.aborted);
    expect(seen).toBe(true);
  });

  it('validates at creation', () => {
    expect(() => bulkhead(0)).toThrow(/maxConcurrent must be an integer ≥ 1 \(got 0\)/);
    expect(() => bulkhead({ maxConcurrent: 1, queueTimeout: -1 })).toThrow(/queueTimeout/);
  });
});
