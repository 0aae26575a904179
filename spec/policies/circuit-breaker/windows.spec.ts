import fc from 'fast-check';
import { CountWindow } from '../../../lib/policies/circuit-breaker/windows/count-window';
import { ratio } from '../../../lib/policies/circuit-breaker/windows/sliding-window';
import { TimeWindow } from '../../../lib/policies/circuit-breaker/windows/time-window';

const YEAR = 365 * 24 * 3600 * 1000;

describe('CountWindow', () => {
  it('keeps the last `size` outcomes', () => {
    const w = new CountWindow(3);
    w.record(true, true, 0);
    w.record(false, false, 0);
    expect([w.calls, w.failures, w.slowCalls, w.slowFailures]).toEqual([2, 1, 1, 1]);
    w.record(false, true, 0);
    w.record(false, false, 0); // pushes out the first (failed, slow) outcome
    expect([w.calls, w.failures, w.slowCalls, w.slowFailures]).toEqual([3, 0, 1, 0]);
    w.clear();
    expect([w.calls, w.failures, w.slowCalls, w.slowFailures]).toEqual([0, 0, 0, 0]);
  });

  it('matches a plain list for any sequence (and is never negative)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()), { maxLength: 60 }),
        (size, ops) => {
          const w = new CountWindow(size);
          let list: Array<[boolean, boolean]> = [];
          for (const [failure, slow, clear] of ops) {
            if (clear) {
              w.clear();
              list = [];
            } else {
              w.record(failure, slow, 0);
              list = [...list, [failure, slow] as [boolean, boolean]].slice(-size);
            }
            expect(w.calls).toBe(list.length);
            expect(w.failures).toBe(list.filter(([f]) => f).length);
            expect(w.slowCalls).toBe(list.filter(([, s]) => s).length);
            expect(w.slowFailures).toBe(list.filter(([f, s]) => f && s).length);
          }
        },
      ),
    );
  });
});

describe('TimeWindow', () => {
  it('drops outcomes once their bucket leaves the window', () => {
    const w = new TimeWindow(1000, 10); // 100 ms buckets
    w.record(true, false, 50);
    w.record(false, true, 150);
    expect([w.calls, w.failures, w.slowCalls]).toEqual([2, 1, 1]);
    w.roll(999);
    expect(w.calls).toBe(2);
    w.roll(1000); // bucket 0 (0–99 ms) leaves
    expect([w.calls, w.failures, w.slowCalls]).toEqual([1, 0, 1]);
    w.roll(1100);
    expect([w.calls, w.failures, w.slowCalls]).toEqual([0, 0, 0]);
  });

  it('counts the outcome that arrives as a bucket rolls', () => {
    const w = new TimeWindow(1000, 10);
    w.record(true, false, 0);
    w.record(true, false, 1000); // rolls bucket 0 out, lands in the reused slot
    expect([w.calls, w.failures]).toEqual([1, 1]);
  });

  it('clears at most `buckets` buckets however long it idled', () => {
    const w = new TimeWindow(60_000, 20);
    w.record(true, true, 0);
    expect(w.roll(YEAR)).toBe(20);
    expect(w.calls).toBe(0);
    expect(w.roll(YEAR + 3 * 3000)).toBe(3);
    expect(w.roll(YEAR + 3 * 3000)).toBe(0);
  });

  it('keeps recording into the newest bucket if an injected clock goes back', () => {
    const w = new TimeWindow(1000, 10);
    w.record(false, false, 500);
    w.record(true, false, 100);
    expect([w.calls, w.failures]).toEqual([2, 1]);
    expect(w.roll(1400)).toBe(9); // buckets 6–14; bucket 5 still holds both
    expect(w.calls).toBe(2);
  });

  it('matches a plain list for any sequence (and is never negative)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.nat(3000), fc.boolean(), fc.boolean()), { maxLength: 60 }),
        (duration, buckets, ops) => {
          const w = new TimeWindow(duration, buckets);
          const list: Array<{ t: number; failure: boolean; slow: boolean }> = [];
          let now = 0;
          for (const [advance, failure, slow] of ops) {
            now += advance;
            w.record(failure, slow, now);
            list.push({ t: now, failure, slow });
            const newest = w.bucketOf(now);
            const inside = list.filter((e) => w.bucketOf(e.t) > newest - buckets);
            expect(w.calls).toBe(inside.length);
            expect(w.failures).toBe(inside.filter((e) => e.failure).length);
            expect(w.slowCalls).toBe(inside.filter((e) => e.slow).length);
            expect(w.slowFailures).toBe(inside.filter((e) => e.slow && e.failure).length);
            expect(Math.min(w.calls, w.failures, w.slowCalls, w.slowFailures)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});

describe('ratio', () => {
  it('is 0 for an empty window, never NaN', () => {
    expect(ratio(0, 0)).toBe(0);
    expect(ratio(1, 4)).toBe(0.25);
  });
});
