import fc from 'fast-check';
import { ManualClock } from '../../../lib/clock/manual-clock';
import { isCircuitOpenError } from '../../../lib/errors/circuit-open-error';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker';
import type { CircuitBreakerOptions } from '../../../lib/policies/circuit-breaker/options';
import { deferred, flushMacrotask, track, type Deferred } from './fixtures/helpers';
import { ReferenceModel, type ModelCall, type ModelOptions } from './fixtures/reference-model';

class Ignored extends Error {}

const optionsArb: fc.Arbitrary<ModelOptions> = fc
  .record({
    rule: fc.constantFrom('consecutive', 'window', 'rate', 'slow', 'rate+consecutive', 'default'),
    failureThreshold: fc.integer({ min: 1, max: 4 }),
    failureWindow: fc.integer({ min: 20, max: 500 }),
    rate: fc.constantFrom(0.25, 0.5, 0.6, 1),
    slowCallDuration: fc.integer({ min: 20, max: 200 }),
    window: fc.oneof(
      fc.record({ type: fc.constant('count' as const), size: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ type: fc.constant('time' as const), duration: fc.integer({ min: 40, max: 1000 }) }),
    ),
    minimumCalls: fc.integer({ min: 1, max: 6 }),
    resetTimeout: fc.oneof(
      fc.integer({ min: 0, max: 400 }),
      fc.constant((opens: number) => opens * 100),
    ),
    halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
    successThreshold: fc.integer({ min: 1, max: 3 }),
    halfOpenMaxWait: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
    trackSlow: fc.boolean(),
  })
  .map((r) => {
    const o: { -readonly [K in keyof ModelOptions]: ModelOptions[K] } = {
      slidingWindow: r.window,
      minimumCalls: r.window.type === 'count' ? Math.min(r.minimumCalls, r.window.size) : r.minimumCalls,
      resetTimeout: r.resetTimeout,
      halfOpenMaxCalls: r.halfOpenMaxCalls,
      successThreshold: r.successThreshold,
      halfOpenMaxWait: r.halfOpenMaxWait,
      slowCallDuration: r.trackSlow ? r.slowCallDuration : undefined,
    };
    if (r.rule === 'consecutive' || r.rule === 'rate+consecutive') o.failureThreshold = r.failureThreshold;
    if (r.rule === 'window') Object.assign(o, { failureThreshold: r.failureThreshold, failureWindow: r.failureWindow });
    if (r.rule === 'rate' || r.rule === 'rate+consecutive') o.failureRateThreshold = r.rate;
    if (r.rule === 'slow') Object.assign(o, { slowCallDuration: r.slowCallDuration, slowCallRateThreshold: r.rate });
    return o;
  });

type Action =
  | { type: 'start' }
  | { type: 'settle'; pick: number; outcome: 'success' | 'failure' | 'ignored' }
  | { type: 'advance'; ms: number }
  | { type: 'reset' | 'forceOpen' | 'disable' };

const settleArb: fc.Arbitrary<Action> = fc.record({
  type: fc.constant('settle' as const),
  pick: fc.nat(),
  outcome: fc.constantFrom('success' as const, 'failure' as const, 'ignored' as const),
});
const advanceArb: fc.Arbitrary<Action> = fc.record({
  type: fc.constant('advance' as const),
  ms: fc.integer({ min: 0, max: 300 }),
});
const idleArb: fc.Arbitrary<Action> = fc.record({
  type: fc.constant('advance' as const),
  ms: fc.integer({ min: 300, max: 2000 }),
});

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Action>({ type: 'start' }) },
  { weight: 6, arbitrary: settleArb },
  { weight: 4, arbitrary: advanceArb },
  // Idle gaps longer than any reset timeout or halfOpenMaxWait: sparse traffic.
  { weight: 1, arbitrary: idleArb },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constantFrom('reset' as const, 'forceOpen' as const, 'disable' as const) }),
  },
);

/**
 * Half-open under every traffic pattern: one failure opens the circuit, an idle gap passes its
 * reset timeout, then probes start, settle and wait in any order, with gaps short and long.
 */
const halfOpenOptionsArb: fc.Arbitrary<ModelOptions> = optionsArb.map((o) => ({ ...o, failureThreshold: 1 }));
const halfOpenActionsArb: fc.Arbitrary<Action[]> = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constant<Action>({ type: 'start' }) },
      { weight: 5, arbitrary: settleArb },
      { weight: 3, arbitrary: advanceArb },
      { weight: 2, arbitrary: idleArb },
    ),
    { minLength: 1, maxLength: 40, size: 'max' },
  )
  .map((rest) => [
    { type: 'start' },
    { type: 'settle', pick: 0, outcome: 'failure' },
    { type: 'advance', ms: 2000 },
    ...rest,
  ]);

/** Runs `actions` on a real breaker and on the model side by side, comparing after every step. */
async function agree(options: ModelOptions, actions: readonly Action[], name: string): Promise<void> {
  const clock = new ManualClock({ now: 1_700_000_000_000 });
  const breaker = circuitBreaker({
    ...(options as CircuitBreakerOptions),
    name,
    clock,
    failurePredicate: (e) => !(e instanceof Ignored),
  });
  const model = new ReferenceModel(options, () => clock.now());
  const changes: unknown[] = [];
  const sub = breaker.stateChanges$.subscribe(({ from, to, reason }) => changes.push({ from, to, reason }));
  const pending: Array<{ d: Deferred<string>; m: ModelCall }> = [];
  try {
    for (const action of actions) {
      const now = clock.monotonic();
      if (action.type === 'start') {
        const d = deferred<string>();
        const expected = model.start(now);
        const result = track(breaker.execute(() => d.promise));
        await flushMacrotask();
        if ('rejected' in expected) {
          expect(result.state).toBe('rejected');
          expect(isCircuitOpenError(result.value)).toBe(true);
          expect((result.value as { retryAfter: number }).retryAfter).toBe(expected.rejected);
        } else {
          expect(result.state).toBe('pending');
          pending.push({ d, m: expected });
        }
      } else if (action.type === 'settle') {
        if (pending.length === 0) continue;
        const [call] = pending.splice(action.pick % pending.length, 1);
        model.settle(call!.m, action.outcome, now);
        if (action.outcome === 'success') call!.d.resolve('ok');
        else call!.d.reject(action.outcome === 'failure' ? new Error('down') : new Ignored('4xx'));
        await flushMacrotask();
      } else if (action.type === 'advance') {
        clock.advance(action.ms);
      } else {
        model[action.type]();
        breaker[action.type]();
      }
      const snapshot = breaker.snapshot();
      const rates = model.rates(clock.monotonic());
      expect(snapshot).toEqual({
        name: breaker.name,
        state: model.state,
        openedAt: model.openedAt,
        retryAfter: model.retryAfter(clock.monotonic()),
        window: model.windowCounts(clock.monotonic()),
        metrics: {
          totalCalls: model.successful + model.failed + model.rejected + model.ignored,
          successfulCalls: model.successful,
          failedCalls: model.failed,
          rejectedCalls: model.rejected,
          ignoredCalls: model.ignored,
          slowCalls: model.slowCalls,
          failureRate: rates.failureRate,
          slowCallRate: rates.slowCallRate,
          consecutiveFailures: model.consecutiveFailures,
          consecutiveSuccesses: model.consecutiveSuccesses,
          stateTransitions: model.transitions,
        },
      });
      expect(changes).toEqual(model.changes);
    }
  } finally {
    sub.unsubscribe();
    for (const { d } of pending) d.resolve('cleanup');
    await flushMacrotask();
  }
}

// Each property runs 150 sequences of up to 60 steps, each step awaiting a macrotask turn: a few
// seconds alone, far more beside the rest of the suite on a shared machine.
const PROPERTY_TIMEOUT = 120_000;

describe('circuit breaker against a naive reference model', () => {
  let run = 0;

  it(
    'agrees on state, admissions, transitions and every metric after each step',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          optionsArb,
          fc.array(actionArb, { minLength: 1, maxLength: 60, size: 'max' }),
          (options, actions) => agree(options, actions, `model-${run++}`),
        ),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'agrees in half-open, whatever the mix of probes, settlements and idle gaps',
    async () => {
      await fc.assert(
        fc.asyncProperty(halfOpenOptionsArb, halfOpenActionsArb, (options, actions) =>
          agree(options, actions, `model-half-open-${run++}`),
        ),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
