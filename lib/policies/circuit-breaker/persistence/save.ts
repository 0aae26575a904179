import type { Clock } from '../../../clock/clock.js';
import type { CircuitBreakerConfig } from '../options.js';
import { CountWindow } from '../windows/count-window.js';
import { TimeWindow } from '../windows/time-window.js';
import type { BreakerMemory } from './memory.js';
import type { CircuitBreakerSavedState, CircuitBreakerSavedWindow } from './saved-state.js';

/**
 * Writes a breaker's memory as plain data. Monotonic times become wall-clock times through the
 * clock's current offset between the two, read once.
 * @internal
 */
export function saveMemory(
  memory: BreakerMemory,
  config: CircuitBreakerConfig,
  clock: Clock,
): CircuitBreakerSavedState {
  const savedAt = clock.now();
  const now = clock.monotonic();
  const toWall = savedAt - now;
  const s = memory.state;
  const rules = memory.judge?.ruleMemory();
  return {
    v: 1,
    state: s.kind,
    savedAt,
    openedAt: memory.openedAt,
    consecutiveOpens: s.kind === 'open' || s.kind === 'half_open' ? s.consecutiveOpens : 0,
    openUntil: s.kind === 'open' ? s.until + toWall : null,
    probeSuccesses: s.kind === 'half_open' ? s.successes : 0,
    consecutiveFailures: memory.consecutiveFailures,
    failureTimes: rules === undefined ? [] : rules.failureTimes.map((t) => t + toWall),
    window: saveWindow(memory, config, now, toWall),
  };
}

function saveWindow(
  memory: BreakerMemory,
  config: CircuitBreakerConfig,
  now: number,
  toWall: number,
): CircuitBreakerSavedWindow {
  const options = config.slidingWindow;
  const window = memory.judge?.window;
  if (options.type === 'count') {
    return { type: 'count', size: options.size, outcomes: window instanceof CountWindow ? window.outcomes() : '' };
  }
  if (!(window instanceof TimeWindow)) return { type: 'time', duration: options.duration, buckets: [] };
  // Rolling drops what has left the window by now; it changes nothing the breaker would decide.
  window.roll(now);
  const buckets = window.filled().map(({ index, calls, failures, slowCalls, slowFailures }) => ({
    at: index * window.width + toWall,
    calls,
    failures,
    slowCalls,
    slowFailures,
  }));
  return { type: 'time', duration: options.duration, buckets };
}
