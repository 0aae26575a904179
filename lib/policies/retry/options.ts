import type { Clock } from '../../clock/clock.js';
import { readErrorFilter, readOptions } from '../../config/read-options.js';
import { MAX_TIMER_MS, OptionsValidator } from '../../config/validator.js';
import { isCircuitOpenError } from '../../errors/circuit-open-error.js';
import type { ErrorFilter } from '../../config/error-filter.js';

/**
 * How the delay grows between attempts: a named formula, or a function of the retry number
 * (1 before the second attempt) and the error that caused the retry, returning milliseconds.
 *
 * @example
 * ```ts
 * const honourRetryAfter: BackoffStrategy = (n, error) => (error instanceof HttpError ? error.retryAfterMs : 100 * n);
 * ```
 * @category Retry
 */
export type BackoffStrategy = 'fixed' | 'linear' | 'exponential' | ((attempt: number, error: unknown) => number);

/**
 * How the delay is randomised so that many clients do not retry in lock-step:
 * `'none'`, `'full'` (uniform in [0, d]), `'equal'` (d/2 + uniform in [0, d/2]) or
 * `'decorrelated'` (uniform in [`delay`, 3 × previous delay]).
 *
 * @example
 * ```ts
 * const jitter: JitterStrategy = 'equal';
 * ```
 * @category Retry
 */
export type JitterStrategy = 'none' | 'full' | 'equal' | 'decorrelated';

/**
 * Options of `@Retry` and `retry()`.
 *
 * @typeParam T - what the retried work resolves to, the type `retryOnResult` receives. `@Retry`
 * infers it from the decorated method; `retry<T>()` takes it explicitly (or from an annotated
 * `retryOnResult`). `unknown` when not known.
 * @example
 * ```ts
 * const options: RetryOptions = { maxAttempts: 4, delay: 200, backoff: 'exponential', jitter: 'full', retryOn: [NetworkError] };
 * const untilReady: RetryOptions<Job> = { maxAttempts: 10, retryOnResult: (job) => job.status === 'pending' };
 * ```
 * @category Retry
 */
export interface RetryOptions<T = unknown> {
  /** Total attempts, the first included. @defaultValue 3 */
  readonly maxAttempts?: number;
  /**
   * Base delay, ms; at most `maxDelay`.
   * @defaultValue 100, or `maxDelay` when that is smaller (`{ maxDelay: 50 }` means a 50 ms delay)
   */
  readonly delay?: number;
  /** Growth of the delay. @defaultValue `'exponential'` */
  readonly backoff?: BackoffStrategy;
  /** Growth factor of `'exponential'`, ≥ 1. @defaultValue 2 */
  readonly factor?: number;
  /** Upper bound of every delay, after jitter too, ms. @defaultValue 30_000 */
  readonly maxDelay?: number;
  /** Randomisation of each delay. @defaultValue `'full'` */
  readonly jitter?: JitterStrategy;
  /**
   * Which errors are retried. @defaultValue every error but `CircuitOpenError`.
   * An array never matches a `CircuitOpenError` unless it lists `CircuitOpenError` itself
   * (so `[Error]` does not retry an open circuit); a predicate sees every error.
   */
  readonly retryOn?: ErrorFilter;
  /**
   * Retry when the call resolves with a value this returns `true` for. It receives the method's
   * (or the function's) result, typed: `@Retry({ retryOnResult: (receipt) => receipt.pending })`
   * on a method returning `Promise<Receipt>` types `receipt` as `Receipt`.
   */
  readonly retryOnResult?: (result: T) => boolean;
  /** The clock for the sleeps between attempts. @defaultValue the clock from `getClock()`, read at each sleep */
  readonly clock?: Clock;
  /** The source of randomness for jitter, returning numbers in [0, 1). @defaultValue `Math.random` */
  readonly random?: () => number;
}

/** Options with defaults applied. @internal */
export interface ResolvedRetryOptions {
  readonly maxAttempts: number;
  readonly delay: number;
  readonly backoff: BackoffStrategy;
  readonly factor: number;
  readonly maxDelay: number;
  readonly jitter: JitterStrategy;
  readonly retryOn: (error: unknown) => boolean;
  readonly retryOnResult: ((result: unknown) => boolean) | undefined;
  readonly clock: Clock | undefined;
  readonly random: () => number;
  /** The options as read (`undefined` where not given): what policy defaults are merged under. */
  readonly given: Readonly<Record<string, unknown>>;
}

/** @internal */
export const RETRY_DEFAULTS = Object.freeze({
  maxAttempts: 3,
  delay: 100,
  backoff: 'exponential',
  factor: 2,
  maxDelay: 30_000,
  jitter: 'full',
} as const);

const KNOWN = [
  'maxAttempts',
  'delay',
  'backoff',
  'factor',
  'maxDelay',
  'jitter',
  'retryOn',
  'retryOnResult',
  'clock',
  'random',
] as const;

// Cockatiel #83: retrying an open circuit spins around it. Only an explicit opt-in retries one.
function toPredicate(filter: ErrorFilter | undefined): (error: unknown) => boolean {
  if (filter === undefined) return (error) => !isCircuitOpenError(error);
  if (typeof filter === 'function') return filter;
  const listsCircuitOpen = filter.some((cls) => (cls as { CODE?: unknown }).CODE === 'ERR_CIRCUIT_OPEN');
  return (error) => (listsCircuitOpen || !isCircuitOpenError(error)) && filter.some((cls) => error instanceof cls);
}

/**
 * Reads the options once, validates them (reporting every bad field at once) and applies the defaults.
 * @internal
 */
export function resolveRetryOptions(where: string, input: unknown): ResolvedRetryOptions {
  const v = new OptionsValidator(where);
  const o = readOptions(v, input, KNOWN);
  v.integer('maxAttempts', o.maxAttempts, 1, Number.MAX_SAFE_INTEGER, true);
  v.duration('delay', o.delay, 0, true);
  v.duration('maxDelay', o.maxDelay, 0, true);
  if (o.backoff !== undefined && typeof o.backoff !== 'function')
    v.oneOf('backoff', o.backoff, ['fixed', 'linear', 'exponential']);
  if (o.factor !== undefined && (typeof o.factor !== 'number' || !Number.isFinite(o.factor) || o.factor < 1)) {
    v.fail('factor', o.factor, 'a finite number ≥ 1');
  }
  v.oneOf('jitter', o.jitter, ['none', 'full', 'equal', 'decorrelated'], true);
  const retryOn = readErrorFilter(v, 'retryOn', o.retryOn);
  v.func('retryOnResult', o.retryOnResult, true);
  v.func('random', o.random, true);
  v.clock('clock', o.clock, true);
  const maxDelay = (o.maxDelay ?? RETRY_DEFAULTS.maxDelay) as number;
  // The default delay follows a smaller maxDelay: `{ maxDelay: 50 }` alone is a valid wish.
  const delay = (o.delay ??
    (inRange(maxDelay) ? Math.min(RETRY_DEFAULTS.delay, maxDelay) : RETRY_DEFAULTS.delay)) as number;
  // Only compared when both are valid numbers, so a bad value is reported once, by its own check.
  if (inRange(delay) && inRange(maxDelay) && delay > maxDelay) v.fail('delay', delay, `at most maxDelay (${maxDelay})`);
  v.done();
  return {
    maxAttempts: (o.maxAttempts as number | undefined) ?? RETRY_DEFAULTS.maxAttempts,
    delay,
    backoff: (o.backoff as BackoffStrategy | undefined) ?? RETRY_DEFAULTS.backoff,
    factor: (o.factor as number | undefined) ?? RETRY_DEFAULTS.factor,
    maxDelay,
    jitter: (o.jitter as JitterStrategy | undefined) ?? RETRY_DEFAULTS.jitter,
    retryOn: toPredicate(retryOn),
    retryOnResult: o.retryOnResult as ((result: unknown) => boolean) | undefined,
    clock: o.clock as Clock | undefined,
    random: (o.random as (() => number) | undefined) ?? Math.random,
    given: o,
  };
}

const inRange = (ms: unknown): ms is number =>
  typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= MAX_TIMER_MS;
