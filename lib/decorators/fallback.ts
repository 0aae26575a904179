import { fallbackDeclaration } from '../policies/fallback/declaration.js';
import type { FallbackOptions } from '../policies/fallback/options.js';
import { makeDecorator, type AsyncMethod } from './make-decorator.js';

/**
 * The handler type that fits a method `F`: `(error, ...F's arguments) => F's result or a Promise of it`.
 * @category Fallback
 */
export type FallbackFor<F> = F extends (...args: infer A) => PromiseLike<infer R>
  ? (error: unknown, ...args: A) => R | PromiseLike<R>
  : never;

/**
 * What `@Fallback(handler)` requires of the class: a method `handler` that fits the decorated
 * method, or (for a function handler) nothing, the function itself having to fit.
 * @category Fallback
 */
export type FallbackHost<H, F> = H extends string | symbol
  ? { readonly [P in H]: FallbackFor<F> }
  : H extends FallbackFor<F>
    ? unknown
    : {
        /** Never present: its name is the message of the type error for a function that does not fit. */
        readonly 'the fallback function does not fit the decorated method': FallbackFor<F>;
      };

/**
 * The decorator `@Fallback(handler)` returns. Like every breakwater decorator it works with
 * standard (TC39) decorators and with `experimentalDecorators`; in both, a handler name that is
 * not a fitting method of the class (or a function that does not fit) is a type error.
 * @category Fallback
 */
export interface FallbackDecorator<H> {
  /** Standard (TC39) decorator form. */
  <This extends FallbackHost<H, F>, F extends AsyncMethod>(
    value: F,
    context: ClassMethodDecoratorContext<This, F>,
  ): F | void;
  /** `experimentalDecorators` form. */
  <This extends FallbackHost<H, F>, F extends AsyncMethod>(
    target: This,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): TypedPropertyDescriptor<F> | void;
}

/**
 * Any function usable as a handler; the decorator checks that it fits the method.
 * @inline
 */
type AnyFallbackFunction = (this: never, error: never, ...args: never[]) => unknown;

/**
 * Replaces a failure of the method with the handler's result: a method of the same class
 * (by name) or a function, called with `this` = the instance and `(error, ...originalArgs)`.
 * Runs for open circuits, full bulkheads, timeouts and failures alike, never for a caller's
 * abort. If the handler throws, the caller gets that error with `cause` set to the original.
 * The handler must be a public method (TypeScript cannot see private members from a decorator).
 *
 * @typeParam H - the handler's type: a method name (checked against the class) or a function
 * (checked against the decorated method).
 * @param handler - a method name of the same class, a function, or {@link staleResult}().
 * @param options - `on`: which errors to replace (others are rethrown unchanged).
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError when the handler or options are invalid (at class definition), or when
 * the named method does not exist (at definition with `experimentalDecorators`, else at the first call).
 * @example
 * ```ts
 * class PaymentClient {
 *   @Fallback('cachedCharge', { on: [CircuitOpenError, TimeoutError] })
 *   @CircuitBreaker({ name: 'payments' })
 *   async charge(amount: number): Promise<Receipt> { … }
 *
 *   async cachedCharge(error: unknown, amount: number): Promise<Receipt> { … }
 * }
 * ```
 * @category Fallback
 * @group Decorators
 */
export function Fallback<const H extends string | symbol | AnyFallbackFunction>(
  handler: H,
  options?: FallbackOptions,
): FallbackDecorator<H> {
  // The owner is known at definition only in legacy mode: capture it for the declaration's check.
  let owner: object | undefined;
  const decorate = makeDecorator('Fallback', (site) => fallbackDeclaration(site, handler, options, owner));
  return function (this: unknown, ...args: unknown[]): unknown {
    const context = args[1];
    owner = typeof context === 'object' && context !== null ? undefined : (args[0] as object);
    try {
      return (decorate as (...a: unknown[]) => unknown).apply(this, args);
    } finally {
      owner = undefined;
    }
  } as FallbackDecorator<H>;
}
