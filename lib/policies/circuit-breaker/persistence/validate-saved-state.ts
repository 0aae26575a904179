import { MAX_TIMER_MS } from '../../../clock/clock.js';
import type { OptionsValidator } from '../../../config/validator.js';
import type { CircuitState } from '../../../events/types.js';
import {
  DEFAULT_FAILURE_THRESHOLD,
  DEFAULT_SUCCESS_THRESHOLD,
  type CircuitBreakerOptions,
  type SlidingWindowOptions,
} from '../options.js';
import { Checker, isEpoch } from './checker.js';
import type { CircuitBreakerSavedState } from './saved-state.js';
import { checkSavedWindow } from './validate-saved-window.js';

type RawOptions = { readonly [K in keyof CircuitBreakerOptions]?: unknown };

const FIELDS = [
  'v',
  'state',
  'savedAt',
  'openedAt',
  'consecutiveOpens',
  'openUntil',
  'probeSuccesses',
  'consecutiveFailures',
  'failureTimes',
  'window',
] as const;
const STATES: readonly CircuitState[] = ['closed', 'open', 'half_open', 'forced_open', 'disabled'];

/**
 * Validates the `initialState` option against the breaker's other options (as given) and returns
 * a frozen copy in a fixed key order — or `undefined` when the option is absent or invalid. Every
 * problem is reported on `v` as `initialState.<field>`; a state of another format version reports
 * only its version.
 * @internal
 */
export function checkInitialState(
  v: OptionsValidator,
  o: RawOptions,
  slidingWindow: SlidingWindowOptions | undefined,
): CircuitBreakerSavedState | undefined {
  const raw = o.initialState;
  if (raw === undefined) return undefined;
  const issues = new Checker(v);
  const s = issues.plain('', raw, 'a state saved by saveState() (an object)');
  if (s === undefined) return undefined;
  if (o.scope === 'instance') {
    issues.fail('', raw, "not set with scope 'instance' (each object's breaker starts closed)");
  }
  if (s['v'] !== 1) {
    issues.fail('v', s['v'], '1, the saved-state version this copy of breakwater reads');
    return undefined;
  }
  for (const key of Object.keys(s)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      issues.fail(key, s[key], `one of the fields saveState() writes (${FIELDS.join(', ')})`);
    }
  }
  const state = s['state'] as CircuitState;
  if (!STATES.includes(state)) issues.fail('state', state, `one of ${STATES.map((x) => `'${x}'`).join(', ')}`);
  issues.epoch('savedAt', s['savedAt']);
  const openedAt = s['openedAt'];
  const opened = state === 'open' || state === 'half_open';
  // Null until the first opening, so never null in the states an opening leads to.
  if (openedAt !== null || opened) issues.epoch('openedAt', openedAt);
  issues.count(
    'consecutiveOpens',
    s['consecutiveOpens'],
    opened ? 1 : 0,
    opened ? Number.MAX_SAFE_INTEGER : 0,
    opened ? '' : ' (0 unless the state is open or half_open)',
  );
  checkOpenUntil(issues, state, s['openUntil'], openedAt);
  const successThreshold = positive(o.successThreshold) ?? DEFAULT_SUCCESS_THRESHOLD;
  if (state === 'half_open') {
    issues.count('probeSuccesses', s['probeSuccesses'], 0, successThreshold - 1, ', below successThreshold');
  } else {
    issues.count('probeSuccesses', s['probeSuccesses'], 0, 0, ' (0 unless the state is half_open)');
  }

  // The count rule as validate-options resolves it: on unless only rate thresholds are given.
  const rates = o.failureRateThreshold !== undefined || o.slowCallRateThreshold !== undefined;
  const countRule = o.failureThreshold !== undefined || !rates;
  const threshold =
    positive(o.failureThreshold) ?? (o.failureThreshold === undefined ? DEFAULT_FAILURE_THRESHOLD : undefined);
  const consecutive = countRule && o.failureWindow === undefined;
  if (state === 'closed' && consecutive && threshold !== undefined) {
    issues.count(
      'consecutiveFailures',
      s['consecutiveFailures'],
      0,
      threshold - 1,
      ': a closed circuit that counted failureThreshold failures in a row would be open',
    );
  } else {
    issues.count('consecutiveFailures', s['consecutiveFailures'], 0, Number.MAX_SAFE_INTEGER);
  }
  const windowRule = countRule && o.failureWindow !== undefined;
  const failureTimes = issues.list(s['failureTimes']);
  if (!windowRule || threshold !== undefined) {
    checkFailureTimes(issues, s['failureTimes'], failureTimes, windowRule ? threshold! : 0);
  }
  const window = checkSavedWindow(issues, s['window'], slidingWindow);
  if (issues.found || window === undefined || failureTimes === undefined) return undefined;
  return Object.freeze({
    v: 1,
    state,
    savedAt: s['savedAt'] as number,
    openedAt: openedAt as number | null,
    consecutiveOpens: s['consecutiveOpens'] as number,
    openUntil: s['openUntil'] as number | null,
    probeSuccesses: s['probeSuccesses'] as number,
    consecutiveFailures: s['consecutiveFailures'] as number,
    failureTimes: Object.freeze(failureTimes as number[]),
    window,
  });
}

function checkOpenUntil(issues: Checker, state: CircuitState, value: unknown, openedAt: unknown): void {
  if (state !== 'open') return issues.nullFor('openUntil', value, 'open');
  issues.epoch('openUntil', value);
  if (typeof value !== 'number' || typeof openedAt !== 'number') return;
  if (value < openedAt || value - openedAt > MAX_TIMER_MS) {
    issues.fail('openUntil', value, `from openedAt (${openedAt}) to openedAt + ${MAX_TIMER_MS}`);
  }
}

function checkFailureTimes(issues: Checker, value: unknown, times: unknown[] | undefined, capacity: number): void {
  const expected =
    capacity === 0
      ? 'an empty array (only a breaker with a failureWindow rule keeps failure times)'
      : `an array of at most ${capacity} (failureThreshold) epoch times in ms, oldest first`;
  const valid =
    times !== undefined &&
    times.length <= capacity &&
    times.every((t, i) => isEpoch(t) && (i === 0 || t >= (times[i - 1] as number)));
  if (!valid) issues.fail('failureTimes', value, expected);
}

/** A valid count option (an integer ≥ 1), else `undefined` (validate-options reports a bad one). */
function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}
