import { fallbackDeclaration } from '../policies/fallback/declaration.js';
import { resolveFallbackOptions, type FallbackOptions } from '../policies/fallback/options.js';
import { makeDecorator, prepare, rejectUncalled, type AsyncMethod } from './make-decorator.js';
import type {
  KnowsMethod,
  Label,
  MethodAwareDecorator,
  SiteIsStatic,
  SiteMethod,
  SiteName,
  SiteThis,
} from './method-site.js';

/**
 * The handler type that fits a method `F`: `(error, ...F's arguments) => F's result or a Promise of it`.
 *
 * @example
 * ```ts
 * const toCached: FallbackFor<(id: string) => Promise<User>> = (_error, id) => cache.get(id) ?? anonymous;
 * ```
 * @category Fallback
 */
export type FallbackFor<F> = F extends (...args: infer A) => PromiseLike<infer R>
  ? (error: unknown, ...args: A) => R | PromiseLike<R>
  : never;

/**
 * The decorator `@Fallback(handler)` returns. Its type parameters are inferred from the method it is
 * written on (see {@link MethodAwareDecorator}); that is how the handler is checked, and how an
 * inline function handler gets its parameter types.
 * @category Fallback
 */
export type FallbackDecorator<C, L, D extends AsyncMethod> = MethodAwareDecorator<C, L, D>;

/**
 * What `@Fallback` accepts as its handler where it is written on a method `M` of a class:
 * - a method name `K` of the class that fits — `(error: unknown, ...M's arguments)` (or fewer) and
 *   returning M's result or a Promise of it; otherwise this type is a message naming the mistake,
 *   such as `"breakwater: @Fallback('nope') on charge: the class has no public method 'nope' …"`;
 * - or a function of that type, whose parameters TypeScript then infers from `M`:
 *   `@Fallback((error, id) => …)` types `id` as M's first argument.
 *
 * Away from a method (`const d = Fallback('x')`) nothing can be checked, and anything is accepted.
 *
 * @typeParam K - the method name given, or `never` for a function handler.
 * @category Fallback
 */
export type FallbackHandlerArg<K, C, L, D> =
  KnowsMethod<C> extends false
    ? HandlerKind<K> extends 'function'
      ? AnyFallbackFunction
      : K
    : HandlerKind<K> extends 'name'
      ? CheckedName<K, C, L, SiteMethod<C, D>>
      : HandlerKind<K> extends 'wide name'
        ? Message<'…', C, "the handler must be a literal method name (such as 'cached') for TypeScript to check it">
        : SiteMethod<C, D> extends AsyncMethod
          ? FallbackFunction<SiteThis<C, L>, SiteMethod<C, D>>
          : AnyFallbackFunction;

/**
 * A function handler for a method `F` of a class whose instances are `This`.
 * @inline
 */
type FallbackFunction<This, F> = F extends (...args: infer A) => PromiseLike<infer R>
  ? (this: This, error: unknown, ...args: A) => R | PromiseLike<R>
  : never;

/**
 * Any function: accepted (and checked at run time only) where the method is not known. Its
 * parameters are `never` so that every function fits; an inline one there must annotate its own.
 * @inline
 */
type AnyFallbackFunction = (this: never, error: never, ...args: never[]) => unknown;

/**
 * What the handler argument is: a literal method `'name'`; a `'wide name'` (a `string` or `symbol`
 * variable, which cannot be checked); or a `'function'` — `K` is then `never`, or the whole
 * `string | symbol` that TypeScript falls back to when it cannot infer a name from a function.
 * @inline
 */
type HandlerKind<K> = [K] extends [never]
  ? 'function'
  : string | symbol extends K
    ? 'function'
    : string extends K
      ? 'wide name'
      : symbol extends K
        ? 'wide name'
        : 'name';

/**
 * `K` when it names a method of the class that fits `M`, else a message naming the mistake.
 * @inline
 */
type CheckedName<K, C, L, M> = K extends SiteName<C> & keyof SiteThis<C, L>
  ? Message<K, C, 'the handler cannot be the decorated method itself (it would call itself)'>
  : K extends keyof SiteThis<C, L>
    ? SiteThis<C, L>[K] extends (...args: infer HA) => infer HR
      ? Fits<K, C, HA, HR, M>
      : Message<K, C, `${Quoted<K>} is not a method`>
    : Message<K, C, NotAMethodOf<K, C, L>>;

/** @inline */
type NotAMethodOf<K, C, L> =
  SiteIsStatic<C, L> extends true
    ? `the class has no public static method ${Quoted<K>} (a static method's handler is static too; private and protected methods are hidden from decorators)`
    : `the class has no public method ${Quoted<K>} (private and protected methods are hidden from decorators: make it public)`;

/**
 * `K` when a handler with parameters `HA` and result `HR` fits the method `M`.
 * @inline
 */
type Fits<K, C, HA extends unknown[], HR, M> = M extends (...args: infer A) => PromiseLike<infer R>
  ? ((...args: HA) => void) extends (error: unknown, ...args: A) => void
    ? [Awaited<HR>] extends [R]
      ? K
      : Message<K, C, `${Quoted<K>} must return what ${SiteName<C>} resolves to, or a Promise of it`>
    : Message<K, C, `${Quoted<K>} must accept (error: unknown, ...the arguments of ${SiteName<C>})`>
  : K; // not an async method: the decorator itself reports that

/** @inline */
type Quoted<K> = K extends '…' ? K : K extends string ? `'${K}'` : Label<K>;

/** @inline */
type Message<K, C, Problem extends string> = `breakwater: @Fallback(${Quoted<K>}) on ${SiteName<C>}: ${Problem}`;

/**
 * Replaces a failure of the method with the handler's result: a method of the same class
 * (by name) or a function, called with `this` = the instance and `(error, ...originalArgs)`.
 * Runs for open circuits, full bulkheads, timeouts and failures alike, never for a caller's
 * abort. If the handler throws, the caller gets that error with `cause` set to the original.
 *
 * Type-checked where it is written, in both decorator modes: a name that is not a public method
 * of the class, or a handler that does not fit the method, is a compile error whose message names
 * the problem; an inline function's parameters are typed from the method. The handler must be
 * public (TypeScript hides private members from decorators).
 *
 * @typeParam K - the method name given (inferred); `never` for a function handler.
 * @typeParam C - inferred from the decorated method (see {@link MethodAwareDecorator}).
 * @typeParam L - inferred from the decorated method.
 * @typeParam D - inferred from the decorated method.
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
 *
 *   @Fallback((error, id) => ({ id, name: 'unknown' })) // id: string, from the method
 *   async user(id: string): Promise<User> { … }
 * }
 * ```
 * @category Fallback
 * @group Decorators
 */
export function Fallback<
  const K extends string | symbol = never,
  C = unknown,
  L = unknown,
  D extends AsyncMethod = AsyncMethod,
>(handler: FallbackHandlerArg<K, C, L, D>, options?: FallbackOptions): FallbackDecorator<C, L, D> {
  // eslint-disable-next-line prefer-rest-params -- the signature stays the one users see
  rejectUncalled('Fallback', arguments, "@Fallback('fallbackMethod') or @Fallback((error) => value)");
  const prepared = prepare(() => resolveFallbackOptions('@Fallback', handler, options, true));
  return makeDecorator('Fallback', (site, resolved) => fallbackDeclaration(site, handler, resolved), {
    kind: 'fallback',
    prepared,
  }) as FallbackDecorator<C, L, D>;
}
