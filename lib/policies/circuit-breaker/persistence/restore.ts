import type { Clock } from '../../../clock/clock.js';
import type { CircuitBreakerConfig } from '../options.js';
import { initialState, type BreakerState } from '../state.js';
import { Judge } from '../strategies/judge.js';
import { CountWindow } from '../windows/count-window.js';
import { TimeWindow } from '../windows/time-window.js';
import type { BreakerMemory } from './memory.js';
import type { CircuitBreakerSavedState } from './saved-state.js';

/**
 * The memory a breaker starts from when given a validated saved state. Wall-clock times become
 * this clock's monotonic times through its current offset; a time after this clock's "now" (a
 * clock behind the one that saved) counts as now, and an open circuit never stays open longer
 * than the open period it was saved with.
 * @internal
 */
export function restoreMemory(
  saved: CircuitBreakerSavedState,
  config: CircuitBreakerConfig,
  clock: Clock,
): BreakerMemory {
  const wall = clock.now();
  const now = clock.monotonic();
  const toMonotonic = (t: number): number => Math.min(now, t - (wall - now));
  return {
    state: restoreState(saved, now, wall),
    openedAt: saved.openedAt,
    judge: restoreJudge(saved, config, now, toMonotonic),
    consecutiveFailures: saved.consecutiveFailures,
  };
}

function restoreState(saved: CircuitBreakerSavedState, now: number, wall: number): BreakerState {
  const consecutiveOpens = saved.consecutiveOpens;
  switch (saved.state) {
    case 'closed':
      return initialState();
    case 'open': {
      // Negative when already due: the next call finds the circuit ready for probes, as it would have.
      const until = saved.openUntil!;
      const left = Math.min(until - wall, until - saved.openedAt!);
      return { kind: 'open', gen: 0, until: now + left, consecutiveOpens };
    }
    case 'half_open':
      // The probes in flight belonged to the process that saved: every slot is free again, and
      // with no probe outstanding `halfOpenMaxWait` does not run (`waitFrom` is set by the next probe).
      return {
        kind: 'half_open',
        gen: 0,
        inFlight: 0,
        waitFrom: now,
        successes: saved.probeSuccesses,
        consecutiveOpens,
      };
    case 'forced_open':
    case 'disabled':
      return { kind: saved.state, gen: 0 };
  }
}

function restoreJudge(
  saved: CircuitBreakerSavedState,
  config: CircuitBreakerConfig,
  now: number,
  toMonotonic: (t: number) => number,
): Judge | undefined {
  const w = saved.window;
  const empty = w.type === 'count' ? w.outcomes.length === 0 : w.buckets.length === 0;
  const streak = config.thresholdRule === 'consecutive' ? saved.consecutiveFailures : 0;
  // An idle breaker has no judge until its first counted outcome: keep it small.
  if (empty && streak === 0 && saved.failureTimes.length === 0) return undefined;
  const judge = new Judge(config);
  judge.loadRuleMemory({ consecutiveFailures: streak, failureTimes: saved.failureTimes.map(toMonotonic) });
  const window = judge.window;
  if (w.type === 'count' && window instanceof CountWindow) window.load(w.outcomes);
  if (w.type === 'time' && window instanceof TimeWindow) {
    const newest = window.bucketOf(now);
    const toIndex = (at: number): number => Math.min(newest, Math.round(toMonotonic(at) / window.width));
    window.load(
      w.buckets.map((b) => ({
        index: toIndex(b.at),
        calls: b.calls,
        failures: b.failures,
        slowCalls: b.slowCalls,
        slowFailures: b.slowFailures,
      })),
    );
  }
  return judge;
}
