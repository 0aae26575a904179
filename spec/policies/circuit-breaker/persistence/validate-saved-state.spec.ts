import { ManualClock } from '../../../../lib/clock/manual-clock';
import { CircuitBreaker } from '../../../../lib/decorators/circuit-breaker';
import { isPolicyConfigError, type ConfigIssue } from '../../../../lib/errors/policy-config-error';
import { circuitBreaker } from '../../../../lib/functional/circuit-breaker';
import type { CircuitBreakerOptions } from '../../../../lib/policies/circuit-breaker/options';
import type { CircuitBreakerSavedState } from '../../../../lib/policies/circuit-breaker/persistence/saved-state';
import { listCircuitBreakers } from '../../../../lib/policies/circuit-breaker/registry';

const T0 = Date.UTC(2030, 0, 1);

const closed: CircuitBreakerSavedState = Object.freeze<CircuitBreakerSavedState>({
  v: 1,
  state: 'closed',
  savedAt: T0,
  openedAt: null,
  consecutiveOpens: 0,
  openUntil: null,
  probeSuccesses: 0,
  consecutiveFailures: 0,
  failureTimes: [],
  window: { type: 'count', size: 100, outcomes: '' },
});
const open: CircuitBreakerSavedState = {
  ...closed,
  state: 'open',
  openedAt: T0,
  consecutiveOpens: 1,
  openUntil: T0 + 60_000,
};

/** The issues `circuitBreaker(options)` reports; none when it accepts them. */
function issuesOf(options: CircuitBreakerOptions): ConfigIssue[] {
  try {
    circuitBreaker(options);
  } catch (error) {
    expect(isPolicyConfigError(error)).toBe(true);
    return [...(error as { issues: ConfigIssue[] }).issues];
  }
  return [];
}

/** Validates `state` (as untyped data: it comes from a file) against `options`. */
function issues(state: unknown, options: CircuitBreakerOptions = {}): ConfigIssue[] {
  return issuesOf({ ...options, initialState: state as CircuitBreakerSavedState });
}

describe('initialState validation', () => {
  it('accepts what saveState() writes, for every state', () => {
    const clock = new ManualClock({ now: T0 });
    const b = circuitBreaker({ clock });
    expect(() => circuitBreaker({ initialState: b.saveState() })).not.toThrow();
    expect(() => circuitBreaker({ initialState: open })).not.toThrow();
    b.forceOpen();
    expect(() => circuitBreaker({ initialState: b.saveState() })).not.toThrow();
    b.disable();
    expect(() => circuitBreaker({ initialState: b.saveState() })).not.toThrow();
  });

  it.each<[string, unknown, string]>([
    ['a string', 'closed', 'initialState'],
    ['null', null, 'initialState'],
    ['an array', [], 'initialState'],
  ])('rejects %s', (_, state, field) => {
    expect(issues(state)).toEqual([{ field, value: state, expected: 'a state saved by saveState() (an object)' }]);
  });

  it('rejects another format version, and reports nothing else of it', () => {
    expect(issues({ v: 2, state: 'sideways' })).toEqual([
      { field: 'initialState.v', value: 2, expected: '1, the saved-state version this copy of breakwater reads' },
    ]);
    expect(issues({ ...closed, v: undefined })).toEqual([
      expect.objectContaining({ field: 'initialState.v', value: undefined }),
    ]);
  });

  it('rejects an unknown state, unknown fields, and negative, NaN or fractional numbers, all at once', () => {
    const found = issues({
      ...closed,
      state: 'ajar',
      savedAt: Number.NaN,
      consecutiveFailures: -1,
      consecutiveOpens: 0.5,
      extra: true,
    });
    expect(found).toEqual([
      {
        field: 'initialState.extra',
        value: true,
        expected: expect.stringContaining('one of the fields saveState() writes'),
      },
      {
        field: 'initialState.state',
        value: 'ajar',
        expected: "one of 'closed', 'open', 'half_open', 'forced_open', 'disabled'",
      },
      {
        field: 'initialState.savedAt',
        value: Number.NaN,
        expected: 'an epoch time in ms (a number from 0 to 8640000000000000)',
      },
      {
        field: 'initialState.consecutiveOpens',
        value: 0.5,
        expected: 'an integer 0 (0 unless the state is open or half_open)',
      },
      {
        field: 'initialState.consecutiveFailures',
        value: -1,
        expected: 'an integer ≥ 0',
      },
    ]);
  });

  it("checks each state's own fields", () => {
    expect(issues({ ...open, openedAt: null, openUntil: T0 - 1, consecutiveOpens: 0 }).map((i) => i.field)).toEqual([
      'initialState.openedAt',
      'initialState.consecutiveOpens',
    ]);
    expect(issues({ ...open, openUntil: T0 - 1 })).toEqual([
      { field: 'initialState.openUntil', value: T0 - 1, expected: `from openedAt (${T0}) to openedAt + 2147483647` },
    ]);
    expect(issues({ ...closed, openUntil: T0 })).toEqual([
      { field: 'initialState.openUntil', value: T0, expected: "null unless the state is 'open'" },
    ]);
    const halfOpen = { ...open, state: 'half_open', openUntil: null, probeSuccesses: 2 };
    expect(issues(halfOpen, { successThreshold: 3 })).toEqual([]);
    expect(issues(halfOpen)).toEqual([
      { field: 'initialState.probeSuccesses', value: 2, expected: 'an integer from 0 to 1, below successThreshold' },
    ]);
    expect(issues({ ...halfOpen, openedAt: -5 }, { successThreshold: 3 }).map((i) => i.field)).toEqual([
      'initialState.openedAt',
    ]);
  });

  it('rejects a closed circuit that has already counted failureThreshold failures in a row', () => {
    expect(issues({ ...closed, consecutiveFailures: 3 }, { failureThreshold: 3 })).toEqual([
      {
        field: 'initialState.consecutiveFailures',
        value: 3,
        expected:
          'an integer from 0 to 2: a closed circuit that counted failureThreshold failures in a row would be open',
      },
    ]);
    // Open, or with rates only, the streak decides nothing.
    expect(issues({ ...open, consecutiveFailures: 3 }, { failureThreshold: 3 })).toEqual([]);
    expect(issues({ ...closed, consecutiveFailures: 30 }, { failureRateThreshold: 0.5 })).toEqual([]);
  });

  it('rejects a window that does not fit the breaker: another type, size or duration', () => {
    expect(issues(closed, { slidingWindow: { type: 'time', duration: 1_000 } })).toEqual([
      {
        field: 'initialState.window',
        value: closed.window,
        expected:
          "{ type: 'time', duration: 1000, buckets } (the breaker's slidingWindow): a state saved with another window cannot be restored",
      },
    ]);
    expect(issues(closed, { slidingWindow: { type: 'count', size: 50 } })).toEqual([
      { field: 'initialState.window.size', value: 100, expected: "50, the breaker's slidingWindow.size" },
    ]);
    const timed = { ...closed, window: { type: 'time', duration: 2_000, buckets: [] } };
    expect(issues(timed, { slidingWindow: { type: 'time', duration: 1_000 } })).toEqual([
      { field: 'initialState.window.duration', value: 2_000, expected: "1000, the breaker's slidingWindow.duration" },
    ]);
  });

  it('checks the outcomes of a count window and the buckets of a time window', () => {
    const counted = (outcomes: string): unknown => ({ ...closed, window: { type: 'count', size: 3, outcomes } });
    const small = { slidingWindow: { type: 'count', size: 3 } } as const;
    expect(issues(counted('sFf'), small)).toEqual([]);
    expect(issues(counted('sfsf'), small).map((i) => i.field)).toEqual(['initialState.window.outcomes']);
    expect(issues(counted('sx'), small)).toEqual([
      { field: 'initialState.window.outcomes', value: 'sx', expected: 'a string of at most 3 letters s, f, S, F' },
    ]);

    const timed = (buckets: unknown): unknown => ({ ...closed, window: { type: 'time', duration: 1_000, buckets } });
    const time = { slidingWindow: { type: 'time', duration: 1_000 } } as const;
    const bucket = { at: T0, calls: 2, failures: 1, slowCalls: 0, slowFailures: 0 };
    expect(issues(timed([bucket, { ...bucket, at: T0 + 950 }]), time)).toEqual([]);
    expect(issues(timed([{ ...bucket, failures: 3, slowCalls: -1 }]), time).map((i) => i.field)).toEqual([
      'initialState.window.buckets[0].failures',
      'initialState.window.buckets[0].slowCalls',
    ]);
    expect(issues(timed([{ ...bucket, calls: 0, failures: 0 }]), time).map((i) => i.field)).toEqual([
      'initialState.window.buckets[0].calls',
    ]);
    expect(issues(timed([{ at: T0 }]), time).map((i) => i.field)).toEqual(['initialState.window.buckets[0]']);
    // Out of order, or spanning more than the window.
    expect(issues(timed([bucket, { ...bucket, at: T0 - 1 }]), time).map((i) => i.field)).toEqual([
      'initialState.window.buckets',
    ]);
    expect(issues(timed([bucket, { ...bucket, at: T0 + 1_000 }]), time).map((i) => i.field)).toEqual([
      'initialState.window.buckets',
    ]);
    expect(issues(timed(Array.from({ length: 21 }, () => bucket)), time).map((i) => i.field)).toEqual([
      'initialState.window.buckets',
    ]);
  });

  it('keeps failure times only for a breaker with a failureWindow rule, at most failureThreshold of them', () => {
    const withTimes = { ...closed, failureTimes: [T0, T0 + 10] };
    expect(issues(withTimes)).toEqual([
      {
        field: 'initialState.failureTimes',
        value: [T0, T0 + 10],
        expected: 'an empty array (only a breaker with a failureWindow rule keeps failure times)',
      },
    ]);
    expect(issues(withTimes, { failureThreshold: 2, failureWindow: 1_000 })).toEqual([]);
    expect(issues(withTimes, { failureThreshold: 1, failureWindow: 1_000 }).map((i) => i.field)).toEqual([
      'initialState.failureTimes',
    ]);
    expect(
      issues({ ...closed, failureTimes: [T0 + 10, T0] }, { failureThreshold: 2, failureWindow: 1_000 }).map(
        (i) => i.field,
      ),
    ).toEqual(['initialState.failureTimes']);
  });

  it("is refused with scope 'instance', and reported with the other options' errors", () => {
    let error: unknown;
    try {
      class Pool {
        @CircuitBreaker({ name: 'persist-bad', scope: 'instance', failureThreshold: 0, initialState: open })
        async query(): Promise<void> {}
      }
      void Pool;
    } catch (e) {
      error = e;
    }
    expect(isPolicyConfigError(error)).toBe(true);
    expect((error as { issues: ConfigIssue[] }).issues.map((i) => i.field)).toEqual([
      'failureThreshold',
      'initialState',
    ]);
    expect((error as Error).message).toContain(
      "initialState must be not set with scope 'instance' (each object's breaker starts closed)",
    );
    expect(listCircuitBreakers().some((b) => b.name.startsWith('persist-bad'))).toBe(false);
  });

  it('reads each field once: a getter that throws is reported, one that changes cannot pass with one value', async () => {
    const throwing = Object.defineProperty({ ...closed }, 'state', {
      enumerable: true,
      get(): never {
        throw new Error('no state');
      },
    });
    expect(issues(throwing)).toEqual([
      {
        field: 'initialState',
        value: throwing,
        expected:
          'a state saved by saveState() (an object), whose fields can be read (reading one threw Error: no state)',
      },
    ]);
    let reads = 0;
    const shifty = Object.defineProperty({ ...open }, 'openUntil', {
      enumerable: true,
      get: () => (reads++ === 0 ? T0 + 1_000 : Number.NaN),
    });
    const b = circuitBreaker({ clock: new ManualClock({ now: T0 }), initialState: shifty });
    const error: unknown = await b.execute(() => 'ok').catch((e: unknown) => e);
    expect((error as { retryAfter: number }).retryAfter).toBe(1_000);
    expect(reads).toBe(1);
  });

  it('keeps its own frozen copy: changing the object given later changes nothing', async () => {
    const given = { ...open, openUntil: T0 + 1_000 };
    const clock = new ManualClock({ now: T0 });
    // A default-named breaker is created at its method's first call, long after the class is defined.
    class Late {
      @CircuitBreaker({ clock, initialState: given })
      async call(): Promise<string> {
        return 'ok';
      }
    }
    given.openUntil = T0 + 999_999;
    const error: unknown = await new Late().call().catch((e: unknown) => e);
    expect((error as { retryAfter: number }).retryAfter).toBe(1_000);
  });
});
