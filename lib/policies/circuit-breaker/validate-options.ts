import { isOptionsObject, readFields, readOptions, type OptionsSnapshot } from '../../config/read-options.js';
import { OptionsValidator } from '../../config/validator.js';
import {
  DEFAULT_FAILURE_THRESHOLD,
  DEFAULT_HALF_OPEN_MAX_CALLS,
  DEFAULT_MINIMUM_CALLS,
  DEFAULT_RESET_TIMEOUT,
  DEFAULT_SLIDING_WINDOW,
  DEFAULT_SUCCESS_THRESHOLD,
  MAX_WINDOW_SIZE,
  type CircuitBreakerConfig,
  type CircuitBreakerOptions,
  type ResetTimeout,
  type SlidingWindowOptions,
} from './options.js';
import { checkInitialState } from './persistence/validate-saved-state.js';
import { checkStore } from './store/validate-store.js';

const KNOWN_KEYS: readonly (keyof CircuitBreakerOptions)[] = [
  'name',
  'scope',
  'failureThreshold',
  'failureWindow',
  'failureRateThreshold',
  'slowCallDuration',
  'slowCallRateThreshold',
  'slidingWindow',
  'minimumCalls',
  'resetTimeout',
  'halfOpenMaxCalls',
  'successThreshold',
  'halfOpenMaxWait',
  'failurePredicate',
  'clock',
  'initialState',
  'store',
  'consistency',
];

function checkSlidingWindow(v: OptionsValidator, raw: unknown): SlidingWindowOptions | undefined {
  if (raw === undefined) return DEFAULT_SLIDING_WINDOW;
  const expected =
    "{ type: 'count', size: integer from 1 to 100000 } or { type: 'time', duration: ms from 1 to 2147483647 }";
  if (!isOptionsObject(raw)) {
    v.fail('slidingWindow', raw, expected);
    return undefined;
  }
  // Read once, like the options around it: the window's fields are options too.
  const w = readFields(v, raw, ['type', 'size', 'duration'], 'slidingWindow.');
  if (w.type === 'count' && w.duration === undefined) {
    v.integer('slidingWindow.size', w.size, 1, MAX_WINDOW_SIZE);
    return Object.freeze({ type: 'count', size: w.size as number });
  }
  if (w.type === 'time' && w.size === undefined) {
    v.duration('slidingWindow.duration', w.duration, 1);
    return Object.freeze({ type: 'time', duration: w.duration as number });
  }
  v.fail('slidingWindow', raw, expected);
  return undefined;
}

/**
 * Validates circuit-breaker options and resolves every default. Reports every bad field at once.
 *
 * @param where - what is being configured, for the error message.
 * @param raw - the options as given (`undefined` means all defaults).
 * @param functional - true for `circuitBreaker()`, where `scope: 'instance'` has no object to bind to.
 * @throws PolicyConfigError listing every invalid field.
 * @internal
 */
export function resolveCircuitBreakerOptions(where: string, raw: unknown, functional = false): CircuitBreakerConfig {
  // Every option is read once, own or inherited; only the snapshot is validated and used.
  const v = new OptionsValidator(where);
  const o = readOptions(v, raw, KNOWN_KEYS);
  // Breakers with default options share one frozen config instead of one each.
  if (KNOWN_KEYS.every((key) => o[key] === undefined)) {
    v.done(); // an unknown key, or a getter that threw
    return (DEFAULT_CONFIG ??= Object.freeze(resolve(v, o, functional)));
  }
  return resolve(v, o, functional);
}

let DEFAULT_CONFIG: CircuitBreakerConfig | undefined;

function resolve(
  v: OptionsValidator,
  o: OptionsSnapshot<(typeof KNOWN_KEYS)[number]>,
  functional: boolean,
): CircuitBreakerConfig {
  v.string('name', o.name, true);
  v.oneOf('scope', o.scope, ['shared', 'instance'], true);
  if (functional && o.scope === 'instance') {
    v.fail('scope', o.scope, "'shared' (scope 'instance' needs an object: use it on a decorated method)");
  }
  const windowRule = o.failureWindow !== undefined;
  // A failure-window ring holds `failureThreshold` timestamps: bound it like a count window.
  v.integer('failureThreshold', o.failureThreshold, 1, windowRule ? MAX_WINDOW_SIZE : Number.MAX_SAFE_INTEGER, true);
  v.duration('failureWindow', o.failureWindow, 1, true);
  v.rate('failureRateThreshold', o.failureRateThreshold, true);
  v.duration('slowCallDuration', o.slowCallDuration, 1, true);
  v.rate('slowCallRateThreshold', o.slowCallRateThreshold, true);
  if (o.slowCallRateThreshold !== undefined && o.slowCallDuration === undefined) {
    v.fail(
      'slowCallDuration',
      undefined,
      'a number of milliseconds from 1 to 2147483647 (required by slowCallRateThreshold)',
    );
  }
  const slidingWindow = checkSlidingWindow(v, o.slidingWindow);
  const countSize =
    slidingWindow?.type === 'count' && Number.isInteger(slidingWindow.size) ? slidingWindow.size : undefined;
  if (countSize !== undefined && countSize >= 1 && countSize <= MAX_WINDOW_SIZE) {
    // The default (10) shrinks to a smaller window's size; an explicit value must fit in it.
    v.integer('minimumCalls', o.minimumCalls, 1, countSize, true);
  } else {
    v.integer('minimumCalls', o.minimumCalls, 1, Number.MAX_SAFE_INTEGER, true);
  }
  if (typeof o.resetTimeout !== 'function') v.duration('resetTimeout', o.resetTimeout, 0, true);
  v.integer('halfOpenMaxCalls', o.halfOpenMaxCalls, 1, Number.MAX_SAFE_INTEGER, true);
  v.integer('successThreshold', o.successThreshold, 1, Number.MAX_SAFE_INTEGER, true);
  v.duration('halfOpenMaxWait', o.halfOpenMaxWait, 1, true);
  v.func('failurePredicate', o.failurePredicate, true);
  v.clock('clock', o.clock, false);
  const initialState = checkInitialState(v, o, slidingWindow);
  checkStore(v, o);
  if (windowRule && o.failureThreshold === undefined && ratesSet(o)) {
    // With a rate rule and no explicit failureThreshold only the rates apply (the contract), so a
    // failureWindow would be silently ignored: say so instead.
    v.fail(
      'failureWindow',
      o.failureWindow,
      'given together with failureThreshold when a rate threshold is set (alone it has no effect)',
    );
  }
  v.done();

  // The contract: with a rate rule and no explicit failureThreshold, only rates apply.
  const countRuleOn = o.failureThreshold !== undefined || !ratesSet(o);
  const thresholdRule = countRuleOn ? (windowRule ? 'window' : 'consecutive') : undefined;
  return {
    name: o.name as string | undefined,
    scope: (o.scope as 'shared' | 'instance' | undefined) ?? 'shared',
    thresholdRule,
    failureThreshold: (o.failureThreshold as number | undefined) ?? DEFAULT_FAILURE_THRESHOLD,
    failureWindow: o.failureWindow as number | undefined,
    failureRateThreshold: o.failureRateThreshold as number | undefined,
    slowCallDuration: o.slowCallDuration as number | undefined,
    slowCallRateThreshold: o.slowCallRateThreshold as number | undefined,
    slidingWindow: slidingWindow!,
    minimumCalls:
      (o.minimumCalls as number | undefined) ?? Math.min(DEFAULT_MINIMUM_CALLS, countSize ?? DEFAULT_MINIMUM_CALLS),
    resetTimeout: (o.resetTimeout as ResetTimeout | undefined) ?? DEFAULT_RESET_TIMEOUT,
    halfOpenMaxCalls: (o.halfOpenMaxCalls as number | undefined) ?? DEFAULT_HALF_OPEN_MAX_CALLS,
    successThreshold: (o.successThreshold as number | undefined) ?? DEFAULT_SUCCESS_THRESHOLD,
    halfOpenMaxWait: o.halfOpenMaxWait as number | undefined,
    failurePredicate: o.failurePredicate as ((error: unknown) => boolean) | undefined,
    clock: o.clock as CircuitBreakerConfig['clock'],
    initialState,
    store: o.store as CircuitBreakerConfig['store'],
    consistency: (o.consistency as 'eventual' | 'strict' | undefined) ?? 'eventual',
    // Kept on the (often shared) config rather than on every breaker.
    timed: o.slowCallDuration !== undefined || slidingWindow!.type === 'time' || thresholdRule === 'window',
    successCanOpen: ratesSet(o),
    given: o,
  };
}

function ratesSet(o: { failureRateThreshold?: unknown; slowCallRateThreshold?: unknown }): boolean {
  return o.failureRateThreshold !== undefined || o.slowCallRateThreshold !== undefined;
}

// With the registry's conflict messages, which name each differing value.
export { optionDifferences } from './option-differences.js';
