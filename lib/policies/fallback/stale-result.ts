import { getClock, type Clock } from '../../clock/clock.js';
import { readOptions } from '../../config/read-options.js';
import { OptionsValidator } from '../../config/validator.js';
import { StaleStore } from './stale-store.js';
import { keyArgs, stableKey } from './stable-key.js';

/**
 * Options of {@link staleResult}.
 *
 * @example
 * ```ts
 * const options: StaleResultOptions = { key: (id) => String(id), ttl: 10 * 60_000, maxEntries: 5_000 };
 * ```
 * @category Fallback
 */
export interface StaleResultOptions {
  /**
   * The cache key of a call's arguments (AbortSignals left out). Return `undefined` to skip caching.
   * @defaultValue a stable JSON of the arguments (object keys sorted)
   */
  readonly key?: (...args: unknown[]) => string | undefined;
  /** How long a result may be served after it was stored, ms. @defaultValue no limit */
  readonly ttl?: number;
  /** How many results are kept (per object, for a decorated method); the least recently used go first. @defaultValue 1000 */
  readonly maxEntries?: number;
  /** The clock the TTL is measured on. @defaultValue the clock from `getClock()`, read at each use */
  readonly clock?: Clock;
}

/**
 * The handler {@link staleResult} returns: pass it to `@Fallback` or `fallback()`.
 * @category Fallback
 */
export interface StaleResultHandler {
  <R>(this: unknown, error: unknown, ...args: unknown[]): Promise<R>;
}

/** The hook a fallback policy calls with each successful result. @internal */
export const RECORD_SUCCESS: unique symbol = Symbol('breakwater.staleResult.record') as never;

/** @internal */
export type SuccessRecorder = (thisArg: unknown, args: readonly unknown[], value: unknown) => void;

/** @internal */
export function recorderOf(handler: unknown): SuccessRecorder | undefined {
  return typeof handler === 'function'
    ? (handler as { [RECORD_SUCCESS]?: SuccessRecorder })[RECORD_SUCCESS]
    : undefined;
}

const DEFAULT_MAX_ENTRIES = 1000;

/**
 * A fallback that serves the last successful result for the same arguments when the call fails,
 * and rethrows the original error when it has none. The fallback policy records each success
 * into it. Results are kept per object for a decorated method (two clients never share them).
 * For reads whose staleness users can bear; never for writes, nor for per-user data whose user
 * is not in the arguments (or in `key`).
 *
 * @param options - key, ttl, maxEntries, clock; all optional.
 * @returns a handler for `@Fallback` or `fallback()`.
 * @throws PolicyConfigError when an option is invalid (every bad field listed).
 * @example
 * ```ts
 * class UserService {
 *   @Fallback(staleResult({ ttl: 10 * 60_000 }))
 *   @CircuitBreaker({ name: 'users' })
 *   async profile(id: string): Promise<Profile> { … }
 * }
 * ```
 * @category Fallback
 */
export function staleResult(options?: StaleResultOptions): StaleResultHandler {
  const where = 'staleResult()';
  const v = new OptionsValidator(where);
  const o = readOptions(v, options, ['key', 'ttl', 'maxEntries', 'clock']) as StaleResultOptions;
  v.func('key', o.key, true);
  v.duration('ttl', o.ttl, 1, true);
  v.integer('maxEntries', o.maxEntries, 1, Number.MAX_SAFE_INTEGER, true);
  if (
    o.clock !== undefined &&
    (typeof o.clock !== 'object' || o.clock === null || typeof o.clock.monotonic !== 'function')
  ) {
    v.fail('clock', o.clock, 'a Clock (with monotonic())');
  }
  v.done();
  const keyOf = o.key === undefined ? stableKey : (args: readonly unknown[]) => o.key!(...args);
  const clock = (): Clock => o.clock ?? getClock();
  const maxEntries = o.maxEntries ?? DEFAULT_MAX_ENTRIES;
  // One store per object (held weakly), so instances never serve each other's results.
  const byObject = new WeakMap<object, StaleStore>();
  const unbound = new StaleStore(maxEntries, o.ttl, clock);
  const storeFor = (thisArg: unknown, create: boolean): StaleStore | undefined => {
    if ((typeof thisArg !== 'object' && typeof thisArg !== 'function') || thisArg === null) return unbound;
    let store = byObject.get(thisArg);
    if (store === undefined && create) byObject.set(thisArg, (store = new StaleStore(maxEntries, o.ttl, clock)));
    return store;
  };

  const handler = function (this: unknown, error: unknown, ...args: unknown[]): Promise<unknown> {
    const key = keyOf(keyArgs(args));
    const hit = key === undefined ? undefined : storeFor(this, false)?.get(key);
    return hit?.found === true ? Promise.resolve(hit.value) : Promise.reject(error);
  };
  const record: SuccessRecorder = (thisArg, args, value) => {
    const key = keyOf(keyArgs(args));
    if (key !== undefined) storeFor(thisArg, true)!.set(key, value);
  };
  Object.defineProperty(handler, RECORD_SUCCESS, { value: record });
  return handler as StaleResultHandler;
}
