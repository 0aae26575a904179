/**
 * The property every breakwater error carries its code under. A registered symbol, so that two
 * installed copies of the package (a CommonJS and an ES module one, or two versions) recognise
 * each other's errors.
 * @internal
 */
export const ERROR_BRAND: unique symbol = Symbol.for('breakwater.error.code') as never;

/**
 * Every error code breakwater produces.
 * @category Errors
 */
export type ResilienceErrorCode = 'ERR_CIRCUIT_OPEN' | 'ERR_BULKHEAD_FULL' | 'ERR_TIMEOUT' | 'ERR_POLICY_CONFIG';

/**
 * The brand (error code) `value` carries, or `undefined`. Never throws: a caught value may be a
 * revoked Proxy or have a throwing getter, and the call's outcome must still be counted and the
 * value passed on as it is.
 * @internal
 */
export function brandOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND];
  } catch {
    return undefined;
  }
}

/** `value instanceof cls` by the prototype chain alone; false where even that throws (a revoked Proxy). */
function inPrototypeChain(cls: object, value: unknown): boolean {
  try {
    return Function.prototype[Symbol.hasInstance].call(cls, value);
  } catch {
    return false;
  }
}

/**
 * Base class of every error breakwater throws itself. `instanceof` works across two copies of the
 * package, and so do the `isXxxError` guards.
 *
 * @example
 * ```ts
 * try { await client.charge(10); } catch (e) {
 *   if (e instanceof ResilienceError) log.warn(e.code);
 * }
 * ```
 * @category Errors
 */
export abstract class ResilienceError extends Error {
  /** A stable machine-readable code, e.g. `'ERR_CIRCUIT_OPEN'`. */
  abstract readonly code: ResilienceErrorCode;

  protected constructor(message: string, code: ResilienceErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, ERROR_BRAND, { value: code, enumerable: false });
    this.name = new.target.name;
  }

  /**
   * Makes `instanceof` match by error code, so errors from another copy of the package match too.
   * On `ResilienceError` any breakwater error matches; on one of its error classes, only that
   * class's code. A value that carries no code (a prototype, `Object.create(CircuitOpenError.prototype)`)
   * and every check against a user's subclass follow ordinary prototype semantics. Never throws
   * (a revoked Proxy is an instance of nothing).
   *
   * @param value - the value on the left of `instanceof`.
   * @returns whether `value` counts as an instance of this class.
   * @example
   * ```ts
   * if (e instanceof TimeoutError) retryLater();
   * ```
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A user's subclass (say `class PaymentsOpen extends CircuitOpenError`) keeps ordinary
    // prototype semantics: only our own classes match by code, across copies of the package.
    if (this !== ResilienceError && !Object.prototype.hasOwnProperty.call(this, 'CODE')) {
      return inPrototypeChain(this, value);
    }
    const code = brandOf(value);
    // No brand: not made by any copy of breakwater, so only the prototype chain can say.
    if (typeof code !== 'string') return inPrototypeChain(this, value);
    // On a concrete subclass, match its own code; on the base, any breakwater error.
    const own = (this as { readonly CODE?: string }).CODE;
    return own === undefined || own === code;
  }
}

/**
 * True when `error` is any breakwater error, from this copy of the package or another.
 *
 * @param error - anything caught.
 * @returns whether `error` is a `ResilienceError` (and narrows its type).
 * @example
 * ```ts
 * if (isResilienceError(e)) metrics.increment(e.code);
 * ```
 * @category Errors
 */
export function isResilienceError(error: unknown): error is ResilienceError {
  return typeof brandOf(error) === 'string';
}
