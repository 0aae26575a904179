import { describeValue } from '../../errors/policy-config-error.js';
import type { CircuitBreakerConfig, SlidingWindowOptions } from './options.js';
import type { CircuitBreakerSavedState } from './persistence/saved-state.js';

/** One option in which two declarations of a breaker differ, with both values described. @internal */
export interface OptionDifference {
  readonly field: string;
  /** The value of the first declaration (the registered breaker's). */
  readonly first: string;
  /** The value of the later declaration. */
  readonly second: string;
}

// Options compared by value (functions and clocks by identity), in the order the docs list them;
// the name is the registry key, and the window and the saved state are compared by their fields.
const COMPARED = [
  'scope',
  'failureThreshold',
  'failureWindow',
  'failureRateThreshold',
  'slowCallDuration',
  'slowCallRateThreshold',
  'minimumCalls',
  'resetTimeout',
  'halfOpenMaxCalls',
  'successThreshold',
  'halfOpenMaxWait',
  'failurePredicate',
  'clock',
  'store',
  'consistency',
] as const satisfies readonly (keyof CircuitBreakerConfig)[];

/**
 * The options in which two resolved option sets differ, each with both values: omitted options
 * equal their defaults, functions and clocks compare by identity, saved states by value. Empty when
 * they describe the same breaker.
 * @internal
 */
export function describeDifferences(a: CircuitBreakerConfig, b: CircuitBreakerConfig): OptionDifference[] {
  const differ: OptionDifference[] = [];
  for (const key of COMPARED) {
    if (a[key] !== b[key]) differ.push({ field: key, ...describePair(a[key], b[key]) });
  }
  if (!sameWindow(a.slidingWindow, b.slidingWindow)) {
    differ.push({ field: 'slidingWindow', first: windowText(a.slidingWindow), second: windowText(b.slidingWindow) });
  }
  if (!sameSavedState(a.initialState, b.initialState)) {
    const first = savedText(a.initialState);
    const second = savedText(b.initialState);
    differ.push({ field: 'initialState', first, second: second === first ? `another ${second.slice(2)}` : second });
  }
  // Same values, different rules: `{ failureRateThreshold }` alone turns the default threshold off.
  if (a.thresholdRule !== b.thresholdRule && !differ.some((d) => d.field === 'failureThreshold')) {
    differ.push({ field: 'failureThreshold (given explicitly or not)', first: ruleText(a), second: ruleText(b) });
  }
  return differ;
}

/**
 * The names of the options in which two resolved option sets differ (see {@link describeDifferences}).
 * @internal
 */
export function optionDifferences(a: CircuitBreakerConfig, b: CircuitBreakerConfig): string[] {
  return describeDifferences(a, b).map((d) => d.field);
}

function describePair(a: unknown, b: unknown): { first: string; second: string } {
  const first = valueText(a);
  const second = valueText(b);
  // Two functions (or clocks) of the same name are still two different ones.
  return { first, second: second === first ? `another ${second.replace(/^an? /, '')}` : second };
}

function valueText(value: unknown): string {
  if (value === undefined) return 'not set';
  if (typeof value === 'object' && value !== null) {
    const kind = (value as { constructor?: { name?: string } }).constructor?.name;
    return kind !== undefined && kind !== 'Object' ? `a ${kind}` : 'an object';
  }
  return describeValue(value);
}

function sameWindow(a: SlidingWindowOptions, b: SlidingWindowOptions): boolean {
  if (a.type === 'count') return b.type === 'count' && a.size === b.size;
  return b.type === 'time' && a.duration === b.duration;
}

function windowText(w: SlidingWindowOptions): string {
  return w.type === 'count' ? `{ type: 'count', size: ${w.size} }` : `{ type: 'time', duration: ${w.duration} }`;
}

/** Saved states are validated into frozen copies with a fixed key order: equal data, equal JSON. */
function sameSavedState(a: CircuitBreakerSavedState | undefined, b: CircuitBreakerSavedState | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}

function savedText(s: CircuitBreakerSavedState | undefined): string {
  return s === undefined ? 'not set' : `a state saved at ${new Date(s.savedAt).toISOString()} ('${s.state}')`;
}

function ruleText(c: CircuitBreakerConfig): string {
  return c.thresholdRule === undefined ? 'not given: rates only' : 'given';
}
