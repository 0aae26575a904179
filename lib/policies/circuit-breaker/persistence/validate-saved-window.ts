import { TIME_WINDOW_BUCKETS, type SlidingWindowOptions } from '../options.js';
import type { Checker } from './checker.js';
import type { CircuitBreakerSavedBucket, CircuitBreakerSavedWindow } from './saved-state.js';

const OUTCOMES = /^[sfSF]*$/;

/**
 * Validates a saved window against the breaker's `slidingWindow` (`undefined` when that option is
 * invalid: validate-options reports it) and returns a frozen copy, or `undefined`.
 * @internal
 */
export function checkSavedWindow(
  issues: Checker,
  value: unknown,
  options: SlidingWindowOptions | undefined,
): CircuitBreakerSavedWindow | undefined {
  const expected =
    options === undefined
      ? 'a saved window'
      : options.type === 'count'
        ? `{ type: 'count', size: ${options.size}, outcomes } (the breaker's slidingWindow)`
        : `{ type: 'time', duration: ${options.duration}, buckets } (the breaker's slidingWindow)`;
  const w = issues.plain('window', value, expected);
  if (w === undefined || options === undefined) return undefined;
  const keys = Object.keys(w).sort().join();
  if (
    w['type'] !== options.type ||
    keys !== (options.type === 'count' ? 'outcomes,size,type' : 'buckets,duration,type')
  ) {
    // A window of another kind cannot be converted: counts carry no times, buckets no order.
    issues.fail('window', value, `${expected}: a state saved with another window cannot be restored`);
    return undefined;
  }
  if (options.type === 'count') {
    if (w['size'] !== options.size) {
      issues.fail('window.size', w['size'], `${options.size}, the breaker's slidingWindow.size`);
    }
    const outcomes = w['outcomes'];
    if (typeof outcomes !== 'string' || !OUTCOMES.test(outcomes) || outcomes.length > options.size) {
      issues.fail('window.outcomes', outcomes, `a string of at most ${options.size} letters s, f, S, F`);
      return undefined;
    }
    return Object.freeze({ type: 'count', size: options.size, outcomes });
  }
  if (w['duration'] !== options.duration) {
    issues.fail('window.duration', w['duration'], `${options.duration}, the breaker's slidingWindow.duration`);
  }
  const buckets = checkBuckets(issues, w['buckets'], options.duration);
  return buckets === undefined ? undefined : Object.freeze({ type: 'time', duration: options.duration, buckets });
}

function checkBuckets(
  issues: Checker,
  value: unknown,
  duration: number,
): readonly CircuitBreakerSavedBucket[] | undefined {
  const expected = `an array of at most ${TIME_WINDOW_BUCKETS} buckets { at, calls, failures, slowCalls, slowFailures }, oldest first, spanning less than ${duration} ms`;
  const list = issues.list(value);
  if (list === undefined || list.length > TIME_WINDOW_BUCKETS) {
    issues.fail('window.buckets', value, expected);
    return undefined;
  }
  const buckets: CircuitBreakerSavedBucket[] = [];
  list.forEach((item, i) => {
    const field = `window.buckets[${i}]`;
    const b = issues.plain(field, item, '{ at, calls, failures, slowCalls, slowFailures }');
    if (b === undefined) return;
    if (Object.keys(b).sort().join() !== 'at,calls,failures,slowCalls,slowFailures') {
      return issues.fail(field, item, '{ at, calls, failures, slowCalls, slowFailures }');
    }
    const { at, calls, failures, slowCalls, slowFailures } = b;
    issues.epoch(`${field}.at`, at);
    issues.count(`${field}.calls`, calls, 1, Number.MAX_SAFE_INTEGER);
    const max = typeof calls === 'number' && Number.isInteger(calls) ? calls : Number.MAX_SAFE_INTEGER;
    issues.count(`${field}.failures`, failures, 0, max);
    issues.count(`${field}.slowCalls`, slowCalls, 0, max);
    // Bounded by failures and slow calls only where those are valid themselves (else they are reported).
    const both = (n: unknown): number => (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max ? n : max);
    issues.count(`${field}.slowFailures`, slowFailures, 0, Math.min(both(failures), both(slowCalls)));
    buckets.push(Object.freeze({ at, calls, failures, slowCalls, slowFailures } as CircuitBreakerSavedBucket));
  });
  const times = buckets.map((b) => b.at);
  const ordered = times.every((t, i) => i === 0 || t > times[i - 1]!);
  if (!ordered || (times.length > 0 && times[times.length - 1]! - times[0]! >= duration)) {
    issues.fail('window.buckets', value, expected);
  }
  return Object.freeze(buckets);
}
