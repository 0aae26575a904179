import { readErrorFilter, readOptions } from '../../config/read-options.js';
import { OptionsValidator } from '../../config/validator.js';
import { matchesFilter, type ErrorFilter } from '../../config/error-filter.js';

/**
 * A fallback function: receives the error and the original arguments (the functional API passes
 * only the error), with `this` = the instance, and returns the substitute result.
 *
 * @example
 * ```ts
 * const toCached: FallbackHandler<[id: string], User> = (_error, id) => cache.get(id) ?? anonymous;
 * ```
 * @category Fallback
 */
export type FallbackHandler<Args extends unknown[] = [], Result = unknown> = (
  error: unknown,
  ...args: Args
) => Result | PromiseLike<Result>;

/**
 * Options of `@Fallback` and `fallback()`.
 *
 * @example
 * ```ts
 * const options: FallbackOptions = { on: [CircuitOpenError, TimeoutError] };
 * ```
 * @category Fallback
 */
export interface FallbackOptions {
  /**
   * Which errors the handler replaces; others are rethrown unchanged.
   * @defaultValue every error (but never a caller's abort)
   */
  readonly on?: ErrorFilter;
}

/** @internal */
export interface ResolvedFallbackOptions {
  readonly on: ((error: unknown) => boolean) | undefined;
  /** `on` as read (an array is a copy), for `getPolicyMetadata`. */
  readonly filter: ErrorFilter | undefined;
}

/**
 * Validates the handler (a function, or when `allowName` a method name) and the options (read
 * once), reporting every bad field at once.
 * @internal
 */
export function resolveFallbackOptions(
  where: string,
  handler: unknown,
  input: unknown,
  allowName: boolean,
): ResolvedFallbackOptions {
  const v = new OptionsValidator(where);
  const isName = (typeof handler === 'string' && handler.length > 0) || typeof handler === 'symbol';
  if (typeof handler !== 'function' && !(allowName && isName)) {
    v.fail(
      'handler',
      handler,
      allowName ? 'a function or the name of a method of the same class' : 'a function (error) => result',
    );
  }
  const filter = readErrorFilter(v, 'on', readOptions(v, input, ['on']).on);
  v.done();
  return { on: filter === undefined ? undefined : (error) => matchesFilter(filter, error), filter };
}
