import type { CircuitState, StateChangeReason } from '../../../lib/events/types';
import { resolveCircuitBreakerOptions } from '../../../lib/policies/circuit-breaker/validate-options';
import {
  admit,
  lazyTransition,
  resetDelay,
  settle,
  type MachineConfig,
} from '../../../lib/policies/circuit-breaker/state-machine';
import {
  initialState,
  LEGAL_TRANSITIONS,
  transition,
  type BreakerState,
  type StateBody,
} from '../../../lib/policies/circuit-breaker/state';

const STATES: CircuitState[] = ['closed', 'open', 'half_open', 'forced_open', 'disabled'];
const REASONS: StateChangeReason[] = [
  'failure_threshold',
  'failure_rate',
  'slow_call_rate',
  'reset_timeout',
  'probe_succeeded',
  'probe_failed',
  'half_open_max_wait',
  'forced_open',
  'disabled',
  'reset',
];

function body(kind: CircuitState): StateBody {
  switch (kind) {
    case 'open':
      return { kind, until: 100, consecutiveOpens: 1 };
    case 'half_open':
      return { kind, inFlight: 0, waitFrom: 0, successes: 0, consecutiveOpens: 1 };
    default:
      return { kind };
  }
}
const stateOf = (kind: CircuitState, gen = 7): BreakerState => ({ ...body(kind), gen });

const config = (raw: object = {}): MachineConfig => resolveCircuitBreakerOptions('x', raw);

describe('transition table', () => {
  const legal = [
    'closed→open',
    'closed→forced_open',
    'closed→disabled',
    'open→half_open',
    'open→closed',
    'open→forced_open',
    'open→disabled',
    'half_open→closed',
    'half_open→open',
    'half_open→forced_open',
    'half_open→disabled',
    'forced_open→closed',
    'forced_open→disabled',
    'disabled→closed',
    'disabled→forced_open',
  ];

  it('allows exactly the documented transitions', () => {
    const allowed = STATES.flatMap((from) =>
      STATES.filter((to) => LEGAL_TRANSITIONS[from][to] !== undefined).map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual([...legal].sort());
  });

  it('throws for every illegal transition and every illegal reason, and bumps the generation otherwise', () => {
    let checked = 0;
    for (const from of STATES) {
      for (const to of STATES) {
        for (const reason of REASONS) {
          const ok = LEGAL_TRANSITIONS[from][to]?.includes(reason) ?? false;
          const attempt = (): unknown => transition(stateOf(from), body(to), reason);
          if (ok) expect((attempt() as { to: BreakerState }).to.gen).toBe(8);
          else expect(attempt).toThrow(`illegal circuit transition ${from} → ${to} (${reason})`);
          checked++;
        }
      }
    }
    expect(checked).toBe(STATES.length * STATES.length * REASONS.length);
  });
});

describe('resetDelay', () => {
  it('clamps a function into [0, 2^31-1], NaN and a throw counting as the upper bound', () => {
    expect(resetDelay(500, 3)).toBe(500);
    expect(resetDelay((n) => n * 1000, 3)).toBe(3000);
    expect(resetDelay(() => -5, 1)).toBe(0);
    expect(resetDelay(() => 2 ** 40, 1)).toBe(2 ** 31 - 1);
    expect(resetDelay(() => Infinity, 1)).toBe(2 ** 31 - 1);
    expect(resetDelay(() => Number.NaN, 1)).toBe(2 ** 31 - 1);
    expect(resetDelay(() => 'soon' as unknown as number, 1)).toBe(2 ** 31 - 1);
    expect(
      resetDelay(() => {
        throw new Error('bug');
      }, 1),
    ).toBe(2 ** 31 - 1);
  });
});

describe('lazyTransition', () => {
  it('moves open to half-open once the reset timeout elapsed, not before', () => {
    const open: BreakerState = { kind: 'open', gen: 3, until: 1000, consecutiveOpens: 2 };
    expect(lazyTransition(open, 999, config())).toBeUndefined();
    const t = lazyTransition(open, 1000, config())!;
    expect(t.reason).toBe('reset_timeout');
    expect(t.to).toEqual({
      kind: 'half_open',
      gen: 4,
      inFlight: 0,
      waitFrom: 1000,
      successes: 0,
      consecutiveOpens: 2,
    });
  });

  it('re-opens a half-open circuit after halfOpenMaxWait, with the next reset timeout', () => {
    const half: BreakerState = {
      kind: 'half_open',
      gen: 4,
      waitFrom: 1000,
      inFlight: 1,
      successes: 0,
      consecutiveOpens: 2,
    };
    const cfg = config({ halfOpenMaxWait: 500, resetTimeout: (n: number) => n * 100 });
    expect(lazyTransition(half, 1499, cfg)).toBeUndefined();
    const t = lazyTransition(half, 1500, cfg)!;
    expect(t.reason).toBe('half_open_max_wait');
    expect(t.to).toEqual({ kind: 'open', gen: 5, until: 1800, consecutiveOpens: 3 });
    expect(lazyTransition(half, 10_000, config())).toBeUndefined();
  });

  it('never re-opens a half-open circuit with no probe outstanding, however long it waits', () => {
    // Sparse traffic: a probe succeeded, the next call has not come yet. Nothing is stuck.
    const idle: BreakerState = {
      kind: 'half_open',
      gen: 4,
      waitFrom: 1000,
      inFlight: 0,
      successes: 1,
      consecutiveOpens: 1,
    };
    const cfg = config({ halfOpenMaxWait: 500, halfOpenMaxCalls: 2 });
    expect(lazyTransition(idle, 1500, cfg)).toBeUndefined();
    expect(lazyTransition(idle, 1e12, cfg)).toBeUndefined();
    expect(lazyTransition({ ...idle, inFlight: 1 }, 1500, cfg)?.reason).toBe('half_open_max_wait');
  });

  it('does nothing in the other states', () => {
    for (const kind of ['closed', 'forced_open', 'disabled'] as const)
      expect(lazyTransition(stateOf(kind), 1e12, config())).toBeUndefined();
  });
});

describe('admit', () => {
  it('admits normally when closed or disabled', () => {
    expect(admit(stateOf('closed'), 0, config()).kind).toBe('normal');
    expect(admit(stateOf('disabled'), 0, config()).kind).toBe('normal');
  });

  it('rejects with the time left while open, Infinity when forced open', () => {
    expect(admit({ kind: 'open', gen: 1, until: 1000, consecutiveOpens: 1 }, 400, config())).toEqual({
      kind: 'rejected',
      retryAfter: 600,
    });
    expect(admit(stateOf('forced_open'), 400, config())).toEqual({ kind: 'rejected', retryAfter: Infinity });
  });

  it('admits at most halfOpenMaxCalls probes', () => {
    const cfg = config({ halfOpenMaxCalls: 2, halfOpenMaxWait: 1000 });
    let state: BreakerState = {
      kind: 'half_open',
      gen: 1,
      waitFrom: 0,
      inFlight: 0,
      successes: 0,
      consecutiveOpens: 1,
    };
    // The wait starts with the first outstanding probe (at 10), not when the state was entered (0);
    // a probe admitted beside it (at 30) joins the same wait.
    for (const [i, now] of [
      [1, 10],
      [2, 30],
    ] as const) {
      const a = admit(state, now, cfg);
      expect(a.kind).toBe('probe');
      if (a.kind === 'probe') state = a.state;
      expect(state).toMatchObject({ inFlight: i, gen: 1, waitFrom: 10 });
    }
    expect(admit(state, 40, cfg)).toEqual({ kind: 'rejected', retryAfter: 970 });
    expect(admit(state, 40, config({ halfOpenMaxCalls: 2 }))).toEqual({ kind: 'rejected', retryAfter: 0 });
  });
});

describe('settle', () => {
  const half = (over: Partial<Extract<BreakerState, { kind: 'half_open' }>> = {}): BreakerState => ({
    kind: 'half_open',
    gen: 5,
    waitFrom: 0,
    inFlight: 1,
    successes: 0,
    consecutiveOpens: 1,
    ...over,
  });

  it('ignores outcomes of an older generation in every state', () => {
    for (const kind of STATES) {
      for (const outcome of ['success', 'failure', 'ignored'] as const) {
        expect(settle(stateOf(kind, 5), 4, outcome, false, 'failure_threshold', 0, config())).toBeUndefined();
      }
    }
  });

  it('opens a closed circuit only on a strategy verdict', () => {
    expect(settle(initialState(2), 2, 'failure', false, undefined, 0, config())).toBeUndefined();
    const s = settle(initialState(2), 2, 'failure', false, 'failure_rate', 50, config({ resetTimeout: 100 }))!;
    expect(s.transition?.reason).toBe('failure_rate');
    expect(s.state).toEqual({ kind: 'open', gen: 3, until: 150, consecutiveOpens: 1 });
  });

  it('closes after successThreshold probe successes', () => {
    const cfg = config({ successThreshold: 2, halfOpenMaxCalls: 2 });
    const first = settle(half({ inFlight: 2 }), 5, 'success', false, undefined, 70, cfg)!;
    expect(first.transition).toBeUndefined();
    // A settled probe restarts the halfOpenMaxWait count for the one still outstanding.
    expect(first.state).toMatchObject({ kind: 'half_open', inFlight: 1, successes: 1, gen: 5, waitFrom: 70 });
    const second = settle(first.state, 5, 'success', false, undefined, 0, cfg)!;
    expect(second.transition?.reason).toBe('probe_succeeded');
    expect(second.state).toEqual({ kind: 'closed', gen: 6 });
  });

  it('re-opens on one probe failure, with consecutiveOpens + 1', () => {
    const s = settle(
      half({ consecutiveOpens: 2 }),
      5,
      'failure',
      false,
      undefined,
      10,
      config({ resetTimeout: (n: number) => n * 1000 }),
    )!;
    expect(s.transition?.reason).toBe('probe_failed');
    expect(s.state).toEqual({ kind: 'open', gen: 6, until: 3010, consecutiveOpens: 3 });
  });

  it('frees the probe slot of an ignored outcome', () => {
    expect(settle(half(), 5, 'ignored', false, undefined, 40, config())).toEqual({
      state: half({ inFlight: 0, waitFrom: 40 }),
      transition: undefined,
    });
  });

  it('counts a slow successful probe as failed only when a slow-call rule is set', () => {
    const slowRule = config({ slowCallDuration: 10, slowCallRateThreshold: 0.5, successThreshold: 1 });
    expect(settle(half(), 5, 'success', true, undefined, 0, slowRule)!.transition?.reason).toBe('probe_failed');
    expect(
      settle(half(), 5, 'success', true, undefined, 0, config({ slowCallDuration: 10, successThreshold: 1 }))!
        .transition?.reason,
    ).toBe('probe_succeeded');
  });

  it('changes nothing when open, forced open or disabled', () => {
    for (const kind of ['open', 'forced_open', 'disabled'] as const) {
      expect(settle(stateOf(kind, 5), 5, 'failure', false, 'failure_threshold', 0, config())).toBeUndefined();
    }
  });
});
