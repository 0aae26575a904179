import type { AsyncMethod } from './make-decorator.js';

// How a decorator factory learns the method it is written on, at compile time.
//
// TypeScript gives the expression of a decorator (`Fallback('cached')`, `Retry({ … })`) a contextual
// type: the call the decorator will receive — `(value, context)` with standard decorators,
// `(target, propertyKey, descriptor)` with `experimentalDecorators`. A factory whose return type
// mentions its own type parameters gets them inferred from that call, before its arguments are
// checked. So the arguments can be typed (and checked) against the method, and errors land on the
// argument itself, where a message type can name the mistake.
//
// The three parameters take one position each, in BOTH signatures, so that each mode fills them
// without being confused by the other signature:
// - C, the second argument: the standard context (`ClassMethodDecoratorContext<This, Method>`, with
//   the method's name) or, in legacy mode, the property key (the method's name);
// - L, the legacy target: the prototype (or the class for a static method). In standard mode it
//   receives the method instead, and is never read there;
// - D, the method in legacy mode, from the descriptor (standard mode leaves it at its default).
//
// The helper types below are exported for the other decorator files but are not part of the API
// (lib/index.ts does not export them). They must stay in the published .d.ts, which refers to them:
// so no internal-tag in their comments (the build's stripInternal would drop them), and typedoc.json
// lists them as intentionally not exported.

/**
 * The decorator a method-aware factory (`@Fallback`, `@Retry`) returns, for both decorator modes:
 * its type parameters are inferred from the method it is written on, so that the factory's
 * arguments are checked against that method. Only methods returning a Promise can be decorated.
 *
 * @typeParam C - the second decorator argument: the standard decorator context, or the legacy property key.
 * @typeParam L - the legacy decorator target (the prototype, or the class for a static method).
 * @typeParam D - the method, as the legacy descriptor holds it.
 * @category Composition
 */
export interface MethodAwareDecorator<C, L, D extends AsyncMethod> {
  /** Standard (TC39) decorator form. */
  (value: AsyncMethod, context: C): void;
  /** `experimentalDecorators` form. */
  (target: L, propertyKey: C, descriptor: TypedPropertyDescriptor<D>): void;
}

/**
 * Whether the factory's type parameters were inferred from a decorated method (`true`), or the
 * decorator was created away from one (`const d = Fallback('x')`), where nothing can be checked.
 */
export type KnowsMethod<C> = unknown extends C ? false : true;

/** The `this` of the decorated method: the instance type, or the class for a static method. */
export type SiteThis<C, L> = C extends ClassMethodDecoratorContext<infer This, infer _M> ? This : L;

/** The decorated method's type. */
export type SiteMethod<C, D> = C extends ClassMethodDecoratorContext<infer _This, infer M> ? M : D;

/** The decorated method's name, quoted for a message. */
export type SiteName<C> = Label<C extends { readonly name: infer N } ? N : C>;

/** Whether the decorated method is static. */
export type SiteIsStatic<C, L> = C extends { readonly static: infer S }
  ? S
  : L extends abstract new (...args: never) => unknown
    ? true
    : false;

/** What the decorated method's Promise resolves to (`unknown` when it does not return a Promise). */
export type SiteResult<C, D> = SiteMethod<C, D> extends (...args: never) => PromiseLike<infer R> ? R : unknown;

/** A property key as it reads in a message. */
export type Label<K> = K extends string ? K : K extends number ? `${K}` : '[symbol]';

/** A method returning a Promise of `T`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `this` and parameters must stay open for every method signature
export type AsyncMethodReturning<T> = (this: any, ...args: any[]) => PromiseLike<T>;
