import { retry } from '../../lib/functional/retry.js';
import { isPolicyConfigError } from '../../lib/errors/policy-config-error.js';

describe('retry()', () => {
  it('is a policy of kind retry', () => {
    expect(retry().kind).toBe('retry');
  });

  it('validates its options at creation with where = retry()', () => {
    let caught: unknown;
    try {
      retry({ maxAttempts: -1, backoff: 'random' as never });
    } catch (error) {
      caught = error;
    }
    expect(isPolicyConfigError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/^Invalid options for retry\(\): maxAttempts .*; backoff /);
  });

  it('passes the call signal to fn, and accepts plain values', async () => {
    const controller = new AbortController();
    const seen: unknown[] = [];
    await expect(retry({ delay: 0 }).execute((signal) => (seen.push(signal), 5), controller.signal)).resolves.toBe(5);
    expect(seen).toEqual([controller.signal]);
  });

  it('rejects at once with the reason when the caller signal is already aborted, without calling fn', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    let calls = 0;
    await expect(retry().execute(() => ++calls, controller.signal)).rejects.toThrow('too late');
    expect(calls).toBe(0);
  });

  it('keeps separate state per execute call (attempt counters are not shared)', async () => {
    const policy = retry({ delay: 0, maxAttempts: 2 });
    const counts = [0, 0];
    const run = (i: number) =>
      policy.execute(async () => {
        counts[i]!++;
        if (counts[i]! < 2) throw new Error('again');
        return i;
      });
    await expect(Promise.all([run(0), run(1)])).resolves.toEqual([0, 1]);
    expect(counts).toEqual([2, 2]);
  });
});
