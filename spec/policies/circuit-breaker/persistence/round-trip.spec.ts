import fc from 'fast-check';
import { ManualClock } from '../../../../lib/clock/manual-clock';
import { isCircuitOpenError } from '../../../../lib/errors/circuit-open-error';
import type { CircuitStateChange } from '../../../../lib/events/types';
import { circuitBreaker } from '../../../../lib/functional/circuit-breaker';
import type { Policy } from '../../../../lib/runtime/policy';
import type { CircuitBreakerHandle } from '../../../../lib/policies/circuit-breaker/handle';
import type { CircuitBreakerOptions } from '../../../../lib/policies/circuit-breaker/options';
import { breakerActionArb, breakerOptionsArb, type BreakerAction } from '../fixtures/arbitraries';
import { deferred, flushMacrotask, track, type Deferred } from '../fixtures/helpers';

class Ignored extends Error {}

// Random actions seldom leave a circuit half-open with a probe success counted and nothing in
// flight; this lead-in often does: enough failures to open by any rule, then one successful probe.
const toHalfOpen: BreakerAction[] = [
  ...Array.from({ length: 6 }, (): BreakerAction[] => [
    { type: 'start' },
    { type: 'settle', pick: 0, outcome: 'failure' },
  ]).flat(),
  { type: 'advance', ms: 600 },
  { type: 'start' },
  { type: 'settle', pick: 0, outcome: 'success' },
];
const counted = (e: unknown): boolean => !(e instanceof Ignored);

/** A breaker driven by actions, with its calls in flight. */
class Driver {
  readonly pending: Deferred<string>[] = [];
  readonly changes: Array<Pick<CircuitStateChange, 'from' | 'to' | 'reason'>> = [];

  constructor(
    readonly breaker: Policy & CircuitBreakerHandle,
    readonly clock: ManualClock,
  ) {
    breaker.stateChanges$.subscribe(({ from, to, reason }) => this.changes.push({ from, to, reason }));
  }

  /** Starts a call: `'admitted'`, or the `retryAfter` of its rejection. */
  async start(): Promise<'admitted' | number> {
    const d = deferred<string>();
    const result = track(this.breaker.execute(() => d.promise));
    await flushMacrotask();
    if (result.state === 'pending') {
      this.pending.push(d);
      return 'admitted';
    }
    expect(result.state).toBe('rejected');
    expect(isCircuitOpenError(result.value)).toBe(true);
    return (result.value as { retryAfter: number }).retryAfter;
  }

  async settle(pick: number, outcome: 'success' | 'failure' | 'ignored'): Promise<void> {
    if (this.pending.length === 0) return;
    const [d] = this.pending.splice(pick % this.pending.length, 1);
    if (outcome === 'success') d!.resolve('ok');
    else d!.reject(outcome === 'failure' ? new Error('down') : new Ignored('4xx'));
    await flushMacrotask();
  }

  async apply(action: BreakerAction): Promise<'admitted' | number | undefined> {
    switch (action.type) {
      case 'start':
        return this.start();
      case 'settle':
        await this.settle(action.pick, action.outcome);
        return undefined;
      case 'advance':
        this.clock.advance(action.ms);
        return undefined;
      default:
        this.breaker[action.type]();
        return undefined;
    }
  }

  /** What decides the next calls, and the rates that show the window. */
  view(): unknown {
    const { state, openedAt, metrics } = this.breaker.snapshot();
    const { failureRate, slowCallRate, consecutiveFailures } = metrics;
    return { state, openedAt, failureRate, slowCallRate, consecutiveFailures };
  }

  async cleanup(): Promise<void> {
    for (const d of this.pending.splice(0)) d.resolve('cleanup');
    await flushMacrotask();
  }
}

describe('saveState() → initialState', () => {
  it('a restored breaker decides every following call exactly as the one it was saved from', async () => {
    await fc.assert(
      fc.asyncProperty(
        breakerOptionsArb,
        fc.oneof(
          fc.array(breakerActionArb, { maxLength: 40 }),
          fc.constant(toHalfOpen),
          // Re-opened by a failed probe: its second opening in a row.
          fc.constant(
            toHalfOpen.map((a, i) => (i === toHalfOpen.length - 1 ? { ...a, outcome: 'failure' as const } : a)),
          ),
        ),
        fc.array(fc.constantFrom('success' as const, 'failure' as const, 'ignored' as const), { maxLength: 12 }),
        fc.integer({ min: 0, max: 500 }),
        fc.nat({ max: 1000 }),
        fc.array(breakerActionArb, { minLength: 1, maxLength: 40 }),
        async (options, before, endings, gap, shift, after) => {
          const clock = new ManualClock({ now: 1_700_000_000_000 });
          const all: CircuitBreakerOptions = { ...options, failurePredicate: counted };
          const original = new Driver(circuitBreaker({ ...all, clock }), clock);
          const drivers = [original];
          try {
            for (const action of before) await original.apply(action);
            // Calls in flight belong to their process: save once every call has settled.
            for (let i = 0; original.pending.length > 0; i++) await original.settle(0, endings[i] ?? 'success');

            const saved = original.breaker.saveState();
            expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
            // The process is down for `gap` ms; the next one's monotonic clock starts elsewhere (by
            // whole buckets of a time window, so that its buckets line up).
            clock.advance(gap);
            const w = options.slidingWindow!;
            const offset = w.type === 'time' ? (w.duration / 20) * shift : shift * 7;
            const next = new ManualClock({ now: clock.now() - clock.monotonic() - offset });
            next.advance(clock.monotonic() + offset);
            const initialState = JSON.parse(JSON.stringify(saved)) as typeof saved;
            const restored = new Driver(circuitBreaker({ ...all, clock: next, initialState }), next);
            drivers.push(restored);
            original.changes.length = 0;

            expect(restored.view()).toEqual(original.view());
            for (const action of after) {
              const expected = await original.apply(action);
              expect(await restored.apply(action)).toBe(expected);
              expect(restored.view()).toEqual(original.view());
              expect(restored.changes).toEqual(original.changes);
            }
            expect(restored.breaker.saveState()).toEqual(original.breaker.saveState());
          } finally {
            for (const d of drivers) await d.cleanup();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
