import fc from 'fast-check';
import { MAX_TIMER_MS } from '../../../lib/config/validator.js';
import {
  applyJitter,
  baseDelay,
  clampDelay,
  nextDelay,
  type BackoffSettings,
} from '../../../lib/policies/retry/backoff.js';

const settings = (over: Partial<BackoffSettings> = {}): BackoffSettings => ({
  delay: 100,
  backoff: 'exponential',
  factor: 2,
  maxDelay: 30_000,
  jitter: 'none',
  ...over,
});
const fixedRandom = (r: number) => () => r;

// The naive model of the contract, written independently of the implementation.
function model(s: BackoffSettings, n: number, previous: number, r: number): number {
  let d: number;
  if (typeof s.backoff === 'function') d = s.backoff(n, undefined);
  else if (s.backoff === 'fixed') d = s.delay;
  else if (s.backoff === 'linear') d = s.delay * n;
  else d = s.delay * s.factor ** (n - 1);
  d = Number.isNaN(d) ? s.maxDelay : Math.min(Math.max(d, 0), s.maxDelay);
  if (s.jitter === 'full') d = r * d;
  else if (s.jitter === 'equal') d = d / 2 + (r * d) / 2;
  else if (s.jitter === 'decorrelated') d = s.delay + r * (Math.min(3 * previous, s.maxDelay) - s.delay);
  return Math.min(Math.max(d, 0), s.maxDelay);
}

describe('backoff', () => {
  describe('clampDelay', () => {
    it.each([
      [50, 100, 50],
      [-1, 100, 0],
      [-Infinity, 100, 0],
      [Infinity, 100, 100],
      [Number.NaN, 100, 100],
      [101, 100, 100],
      [0, 0, 0],
    ])('clamps %p into [0, %p] → %p', (ms, max, expected) => {
      expect(clampDelay(ms, max)).toBe(expected);
    });
  });

  describe('baseDelay (before jitter)', () => {
    it.each([
      ['fixed', [100, 100, 100, 100]],
      ['linear', [100, 200, 300, 400]],
      ['exponential', [100, 200, 400, 800]],
    ] as const)('%s gives %p for retries 1..4', (backoff, expected) => {
      expect([1, 2, 3, 4].map((n) => baseDelay(settings({ backoff }), n, undefined))).toEqual(expected);
    });

    it('uses the factor for exponential growth', () => {
      expect([1, 2, 3].map((n) => baseDelay(settings({ factor: 3, delay: 10 }), n, undefined))).toEqual([10, 30, 90]);
      expect(baseDelay(settings({ factor: 1, delay: 10 }), 50, undefined)).toBe(10);
    });

    it('caps every formula at maxDelay', () => {
      expect(baseDelay(settings({ maxDelay: 250 }), 3, undefined)).toBe(250);
      expect(baseDelay(settings({ backoff: 'linear', maxDelay: 250 }), 3, undefined)).toBe(250);
    });

    it('passes the retry number and the error to a custom backoff, and clamps what it returns', () => {
      const seen: Array<[number, unknown]> = [];
      const boom = new Error('boom');
      const custom = (n: number, error: unknown) => {
        seen.push([n, error]);
        return n === 1 ? 42 : n === 2 ? -5 : n === 3 ? Number.NaN : 1e12;
      };
      const s = settings({ backoff: custom, maxDelay: 1000 });
      expect([1, 2, 3, 4].map((n) => baseDelay(s, n, boom))).toEqual([42, 0, 1000, 1000]);
      expect(seen).toEqual([
        [1, boom],
        [2, boom],
        [3, boom],
        [4, boom],
      ]);
    });

    it('treats a custom backoff returning a non-number as NaN (the cap)', () => {
      expect(baseDelay(settings({ backoff: (() => '5') as never, maxDelay: 700 }), 1, undefined)).toBe(700);
    });

    it('stays finite and within the cap at attempt 10,000 with factor 10 (Polly #2163)', () => {
      const s = settings({ factor: 10, maxDelay: MAX_TIMER_MS });
      for (const n of [1_000, 10_000, Number.MAX_SAFE_INTEGER]) {
        const d = baseDelay(s, n, undefined);
        expect(d).toBe(MAX_TIMER_MS);
        for (const jitter of ['none', 'full', 'equal', 'decorrelated'] as const) {
          const j = nextDelay({ ...s, jitter }, n, undefined, MAX_TIMER_MS, fixedRandom(0.999));
          expect(Number.isFinite(j) && j >= 0 && j <= MAX_TIMER_MS).toBe(true);
        }
      }
    });
  });

  describe('applyJitter', () => {
    it('none keeps the delay', () => {
      expect(applyJitter(settings(), 400, 100, fixedRandom(0.7))).toBe(400);
    });
    it('full is uniform in [0, d]', () => {
      expect(applyJitter(settings({ jitter: 'full' }), 400, 100, fixedRandom(0))).toBe(0);
      expect(applyJitter(settings({ jitter: 'full' }), 400, 100, fixedRandom(0.25))).toBe(100);
    });
    it('equal is d/2 + uniform in [0, d/2]', () => {
      expect(applyJitter(settings({ jitter: 'equal' }), 400, 100, fixedRandom(0))).toBe(200);
      expect(applyJitter(settings({ jitter: 'equal' }), 400, 100, fixedRandom(0.5))).toBe(300);
    });
    it('decorrelated is uniform in [delay, 3 × previous], capped at maxDelay', () => {
      const s = settings({ jitter: 'decorrelated', delay: 100, maxDelay: 1000 });
      expect(applyJitter(s, 9999, 100, fixedRandom(0))).toBe(100);
      expect(applyJitter(s, 9999, 100, fixedRandom(0.5))).toBe(200); // 100 + 0.5 × (300 − 100)
      expect(applyJitter(s, 9999, 900, fixedRandom(0.99))).toBeLessThanOrEqual(1000);
    });
    it('never exceeds the cap, even with a broken random source (agenda #1748)', () => {
      for (const r of [1, 1.5, -1, Number.NaN, Infinity]) {
        for (const jitter of ['full', 'equal', 'decorrelated'] as const) {
          const d = applyJitter(settings({ jitter, maxDelay: 500 }), 500, 500, fixedRandom(r));
          expect(d >= 0 && d <= 500).toBe(true);
        }
      }
    });
  });

  describe('nextDelay (properties)', () => {
    const arbSettings = fc.record({
      delay: fc.integer({ min: 0, max: 10_000 }),
      extra: fc.integer({ min: 0, max: MAX_TIMER_MS - 10_000 }),
      backoff: fc.constantFrom('fixed' as const, 'linear' as const, 'exponential' as const),
      factor: fc.double({ min: 1, max: 100, noNaN: true }),
      jitter: fc.constantFrom('none' as const, 'full' as const, 'equal' as const, 'decorrelated' as const),
    });

    it('matches the naive model for every strategy, retry number and random draw', () => {
      fc.assert(
        fc.property(
          arbSettings,
          fc.integer({ min: 1, max: 20_000 }),
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          (a, n, r) => {
            const s = settings({
              delay: a.delay,
              maxDelay: a.delay + a.extra,
              backoff: a.backoff,
              factor: a.factor,
              jitter: a.jitter,
            });
            const previous = Math.min(a.delay * 2, s.maxDelay);
            expect(nextDelay(s, n, undefined, previous, () => r)).toBeCloseTo(model(s, n, previous, r), 6);
          },
        ),
      );
    });

    it('is always a finite number in [0, maxDelay] ≤ 2^31-1, whatever a custom backoff returns', () => {
      const anyNumber = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 2 ** 53, -0));
      fc.assert(
        fc.property(
          anyNumber,
          fc.integer({ min: 0, max: MAX_TIMER_MS }),
          fc.constantFrom('none' as const, 'full' as const, 'equal' as const, 'decorrelated' as const),
          fc.double({ noNaN: false }),
          (value, maxDelay, jitter, r) => {
            const s = settings({ backoff: () => value, delay: 0, maxDelay, jitter });
            const d = nextDelay(s, 1, undefined, 0, () => r);
            expect(Number.isFinite(d)).toBe(true);
            expect(d).toBeGreaterThanOrEqual(0);
            expect(d).toBeLessThanOrEqual(maxDelay);
          },
        ),
      );
    });

    it('decorrelated delays chained through "previous" stay within [delay, maxDelay]', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 1000 }),
          fc.integer({ min: 0, max: 100_000 }),
          fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 50 }),
          (delay, extra, draws) => {
            const s = settings({ jitter: 'decorrelated', delay, maxDelay: delay + extra });
            let previous = delay;
            draws.forEach((r, i) => {
              const d = nextDelay(s, i + 1, undefined, previous, () => r);
              expect(d).toBeGreaterThanOrEqual(delay);
              expect(d).toBeLessThanOrEqual(Math.min(3 * previous, s.maxDelay));
              previous = d;
            });
          },
        ),
      );
    });
  });
});
