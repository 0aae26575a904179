import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../../lib/errors/policy-config-error.js';
import { fallback } from '../../../lib/functional/fallback.js';
import { stableKey } from '../../../lib/policies/fallback/stable-key.js';
import { recorderOf, staleResult } from '../../../lib/policies/fallback/stale-result.js';

describe('staleResult', () => {
  it('serves the last success for the same arguments, and rethrows the original error without one', async () => {
    const handler = staleResult();
    const record = recorderOf(handler)!;
    const obj = {};
    record(obj, ['u1'], { name: 'Ada' });
    record(obj, ['u1'], { name: 'Ada Lovelace' });
    const original = new Error('down');
    await expect(handler.call(obj, original, 'u1')).resolves.toEqual({ name: 'Ada Lovelace' });
    await expect(handler.call(obj, original, 'u2')).rejects.toBe(original);
  });

  it('keeps results per object, so two clients never serve each other’s data', async () => {
    const handler = staleResult();
    const a = {};
    const b = {};
    recorderOf(handler)!(a, ['me'], 'alice');
    const original = new Error('x');
    await expect(handler.call(a, original, 'me')).resolves.toBe('alice');
    await expect(handler.call(b, original, 'me')).rejects.toBe(original);
  });

  it('ignores AbortSignals in the arguments', async () => {
    const handler = staleResult();
    recorderOf(handler)!(undefined, ['id', new AbortController().signal], 42);
    await expect(handler.call(undefined, new Error('x'), 'id', new AbortController().signal)).resolves.toBe(42);
  });

  it('forgets results older than the TTL, measured on the clock', async () => {
    const clock = new ManualClock();
    const handler = staleResult({ ttl: 1_000, clock });
    recorderOf(handler)!(undefined, [1], 'fresh');
    clock.advance(1_000);
    await expect(handler.call(undefined, new Error('a'), 1)).resolves.toBe('fresh');
    clock.advance(1);
    const original = new Error('b');
    await expect(handler.call(undefined, original, 1)).rejects.toBe(original);
  });

  it('is a bounded LRU: the least recently used result goes first', async () => {
    const handler = staleResult({ maxEntries: 2 });
    const record = recorderOf(handler)!;
    record(undefined, ['a'], 'A');
    record(undefined, ['b'], 'B');
    await handler.call(undefined, new Error(), 'a'); // a is now the most recent
    record(undefined, ['c'], 'C'); // evicts b
    const e = new Error('miss');
    await expect(handler.call(undefined, e, 'a')).resolves.toBe('A');
    await expect(handler.call(undefined, e, 'b')).rejects.toBe(e);
    await expect(handler.call(undefined, e, 'c')).resolves.toBe('C');
  });

  it('uses a custom key, and skips caching when it returns undefined', async () => {
    const handler = staleResult({ key: (req) => (req as { id?: string }).id });
    const record = recorderOf(handler)!;
    record(undefined, [{ id: 'x', traceId: 1 }], 'X');
    record(undefined, [{ traceId: 2 }], 'anonymous');
    await expect(handler.call(undefined, new Error(), { id: 'x', traceId: 99 })).resolves.toBe('X');
    const e = new Error('no key');
    await expect(handler.call(undefined, e, { traceId: 2 })).rejects.toBe(e);
  });

  it('is recorded into by the fallback policy on success', async () => {
    const policy = fallback(staleResult());
    await expect(policy.execute(async () => 'v1')).resolves.toBe('v1');
    await expect(policy.execute(() => Promise.reject(new Error('down')))).resolves.toBe('v1');
  });

  it('validates its options, all at once', () => {
    try {
      staleResult({ ttl: 0, maxEntries: 1.5, key: 'id' as never, extra: 1 } as never);
      throw new Error('should throw');
    } catch (error) {
      expect(isPolicyConfigError(error)).toBe(true);
      expect((error as PolicyConfigError).issues.map((i) => i.field).sort()).toEqual([
        'extra',
        'key',
        'maxEntries',
        'ttl',
      ]);
      expect((error as PolicyConfigError).where).toBe('staleResult()');
    }
  });

  describe('stableKey', () => {
    it('does not depend on the order of object keys', () => {
      expect(stableKey([{ a: 1, b: { c: 2, d: 3 } }])).toBe(stableKey([{ b: { d: 3, c: 2 }, a: 1 }]));
    });
    it('tells apart values JSON would merge', () => {
      const keys = [[undefined], [null], ['1'], [1], [1n], [[1]], [new Map([[1, 2]])], [new Set([1])], [{}]].map(
        stableKey,
      );
      expect(new Set(keys).size).toBe(keys.length);
    });
    it('returns undefined for arguments it cannot serialise', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(stableKey([cyclic])).toBeUndefined();
    });
  });
});
