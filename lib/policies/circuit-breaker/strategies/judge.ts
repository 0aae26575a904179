import { TIME_WINDOW_BUCKETS, type CircuitBreakerConfig } from '../options.js';
import { CountWindow } from '../windows/count-window.js';
import { ratio, type SlidingWindow } from '../windows/sliding-window.js';
import { TimeWindow } from '../windows/time-window.js';
import { ConsecutiveFailures } from './consecutive.js';
import { FailuresInWindow } from './failure-window.js';
import { RateThresholds } from './rates.js';
import type { BreakerStrategy, OpenReason } from './strategy.js';

/** Creates the configured sliding window. @internal */
export function createWindow(config: CircuitBreakerConfig): SlidingWindow {
  const w = config.slidingWindow;
  return w.type === 'count' ? new CountWindow(w.size) : new TimeWindow(w.duration, TIME_WINDOW_BUCKETS);
}

/**
 * The closed state's memory: the sliding window (which also feeds the snapshot's rates) and the
 * active rules. A breaker creates it on its first counted outcome, so an idle breaker stays small.
 * @internal
 */
export class Judge {
  readonly window: SlidingWindow;
  // At most two rules (a count rule and the rates), held in fields: an array would cost its own
  // object and backing store per breaker.
  private readonly first: BreakerStrategy | undefined;
  private readonly second: BreakerStrategy | undefined;

  constructor(config: CircuitBreakerConfig) {
    this.window = createWindow(config);
    const strategies: BreakerStrategy[] = [];
    if (config.thresholdRule === 'consecutive') strategies.push(new ConsecutiveFailures(config.failureThreshold));
    if (config.thresholdRule === 'window')
      strategies.push(new FailuresInWindow(config.failureThreshold, config.failureWindow!));
    if (config.failureRateThreshold !== undefined || config.slowCallRateThreshold !== undefined) {
      strategies.push(
        new RateThresholds(this.window, config.minimumCalls, config.failureRateThreshold, config.slowCallRateThreshold),
      );
    }
    this.first = strategies[0];
    this.second = strategies[1];
  }

  /** Records a counted outcome of the closed state; returns why the circuit must open, if it must. */
  record(failure: boolean, slow: boolean, now: number): OpenReason | undefined {
    this.window.record(failure, slow, now);
    // Every rule sees every outcome, so that each stays consistent; the first to trip names the reason.
    const first = this.first?.record(failure, slow, now);
    const second = this.second?.record(failure, slow, now);
    return first ?? second;
  }

  /** Failure rate and slow-call rate over the window at `now`: fractions in [0, 1], never NaN. */
  rates(now: number): { failureRate: number; slowCallRate: number } {
    const w = this.window;
    w.roll(now);
    return { failureRate: ratio(w.failures, w.calls), slowCallRate: ratio(w.slowCalls, w.calls) };
  }

  reset(): void {
    this.window.clear();
    this.first?.reset();
    this.second?.reset();
  }

  /** The memory of the count rule, for saving: the streak, or the failure times (monotonic ms). */
  ruleMemory(): RuleMemory {
    const rule = this.first;
    return {
      consecutiveFailures: rule instanceof ConsecutiveFailures ? rule.streak : 0,
      failureTimes: rule instanceof FailuresInWindow ? rule.recent() : [],
    };
  }

  /** Loads what {@link Judge.ruleMemory} returned (the window is loaded through `window`). */
  loadRuleMemory(memory: RuleMemory): void {
    const rule = this.first;
    if (rule instanceof ConsecutiveFailures) rule.load(memory.consecutiveFailures);
    if (rule instanceof FailuresInWindow) rule.load(memory.failureTimes);
  }
}

/** What a judge's count rule remembers (the rate rules read only the window). @internal */
export interface RuleMemory {
  readonly consecutiveFailures: number;
  /** Monotonic ms, oldest first. */
  readonly failureTimes: readonly number[];
}
