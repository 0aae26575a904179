import type { AttemptContext } from './attempt.js';
import type { PolicyExecutor, Step } from './call.js';
import { buildChain, runChain } from './chain.js';
import type { PolicyKind } from '../shared/policy-kind.js';

/**
 * The function a policy runs. It receives the call's AbortSignal — always a real one: when nothing
 * can cancel the call (no timeout, no caller signal), one shared signal that never aborts — and
 * the attempt it runs in (`context.attempt`: 1, then 2 for the first retry, …).
 *
 * A function that declares no parameter (`fn.length === 0`, which includes `(...args) =>` and
 * `(s = x) =>`) is called with none, so that no AbortController is created for work that can't
 * observe it: name the parameter to receive the signal.
 *
 * @example
 * ```ts
 * const get: Executable<Response> = (signal, { attempt }) => fetch(url, { signal, headers: { 'x-attempt': `${attempt}` } });
 * ```
 * @category Composition
 */
export type Executable<T> = (signal: AbortSignal, context: AttemptContext) => PromiseLike<T> | T;

// Type-level only: never set at run time. It states R and In as plain data so that compose() can
// read them back from any policy type (an intersection with a handle, a subclass…); inferring them
// from the generic `execute` signature is not possible. Not exported, so not part of the API.
declare const POLICY_TYPES: unique symbol;

/**
 * A policy of the functional API: the same engine, registry and events as the decorators.
 *
 * Its type says what `execute` can resolve with:
 * - `Policy` (that is, `Policy<never, unknown>`) resolves with what `fn` resolves with, and accepts
 *   any `fn`: `retry()`, `circuitBreaker()`, `timeout()`, `bulkhead()`, and `compose()` of them;
 * - `Policy<R>` may resolve with an `R` instead: `fallback(() => r)`, or a `compose()` with a
 *   fallback inside, so `execute` returns `Promise<T | R>`;
 * - `Policy<never, In>` accepts only an `fn` that resolves with an `In`: `retry<In>({ retryOnResult })`,
 *   whose predicate receives what `fn` resolves with.
 *
 * A `Policy<R>` is not assignable to `Policy`: it would be a lie about the result. To store or pass
 * policies of any kind, use {@link AnyPolicy} (which `compose()` accepts), or keep the exact types.
 *
 * @typeParam R - what a fallback inside this policy may resolve with instead of `fn`'s result. @defaultValue `never`
 * @typeParam In - what `fn` must resolve with. @defaultValue `unknown`
 * @example
 * ```ts
 * const users = retry({ maxAttempts: 3 });
 * const user = await users.execute((signal) => fetchUser(id, signal), request.signal); // User
 *
 * const withDefault: Policy<Guest> = fallback(() => guest);
 * const who = await withDefault.execute((signal) => fetchUser(id, signal)); // User | Guest
 * ```
 * @category Composition
 */
export interface Policy<R = never, In = unknown> {
  /** Which kind of policy this is (a composed policy reports its outermost kind). */
  readonly kind: PolicyKind;
  /**
   * Runs `fn` under this policy.
   *
   * @typeParam T - what `fn` resolves with.
   * @param fn - the work; receives the call's AbortSignal and the attempt's {@link AttemptContext}.
   * @param signal - the caller's signal: aborting it rejects the call at once with its reason.
   * @returns `fn`'s result, or what a fallback inside this policy substituted (`R`).
   */
  execute<T extends In>(fn: Executable<T>, signal?: AbortSignal): Promise<T | R>;
  /**
   * Never present at run time: carries `R` and `In` for the type system (so that `compose()` can
   * combine them). Do not read or set it.
   */
  readonly [POLICY_TYPES]?: (accepted: In) => R;
}

/**
 * The type every policy is assignable to, whatever its result and input types: use it to store or
 * pass policies of different kinds (`compose()` accepts it). Its `execute` cannot be called — keep the
 * exact type (or compose it) to run work.
 *
 * @example
 * ```ts
 * const layers: AnyPolicy[] = [fallback(() => cachedRates), circuitBreaker({ name: 'rates' }), retry()];
 * const rates = compose(...layers);
 * ```
 * @category Composition
 */
export type AnyPolicy = Policy<unknown, never>;

/**
 * What `compose(...policies)` returns: a `Policy<R, In>` whose `R` is the union of the fallbacks'
 * results and whose `In` is what every policy accepts (`Policy` when no policy changes either).
 *
 * @typeParam P - the composed policies' types.
 * @example
 * ```ts
 * const policy: ComposedPolicy<[Policy<Guest>, Policy]> = compose(fallback(() => guest), retry());
 * ```
 * @category Composition
 */
export type ComposedPolicy<P extends readonly AnyPolicy[]> = [PolicyTypes<P[number]>] extends [never]
  ? Policy
  : [PolicyTypes<P[number]>] extends [(accepted: infer In) => infer R]
    ? Policy<R, In>
    : never;

/**
 * The `(accepted: In) => R` that a policy type carries (a union over a union of policies).
 * @inline
 */
type PolicyTypes<P> = P extends { readonly [POLICY_TYPES]?: infer Types } ? NonNullable<Types> : never;

const NO_ARGS: readonly unknown[] = Object.freeze([]);

// A registered symbol, versioned like lib/shared/shared-state.ts: a named breaker may come from the
// other copy of the package (ESM and CommonJS in one process), and compose() must still see its layers.
/** @internal */
export const EXECUTORS: unique symbol = Symbol.for('breakwater.executors.v1') as never;

/** A policy whose run-time layers the engine can compose. @internal */
export interface ComposablePolicy extends Policy<unknown, never> {
  readonly [EXECUTORS]: readonly PolicyExecutor[];
}

/** @internal */
export function isComposablePolicy(value: unknown): value is ComposablePolicy {
  return typeof value === 'object' && value !== null && EXECUTORS in value;
}

/**
 * Base for the functional policies: runs calls through the engine. A policy that is its own
 * executor (constructed without `executors`) may override `execute` with a direct path.
 * @internal
 */
export class ExecutorPolicy implements ComposablePolicy {
  private chain: Step | undefined;
  // Declared, not defined: a policy that is its own executor (a breaker, of which there may be
  // thousands) has no such field at all.
  declare private readonly executors: readonly PolicyExecutor[] | undefined;

  constructor(
    readonly kind: PolicyKind,
    executors?: readonly PolicyExecutor[],
  ) {
    if (executors !== undefined) this.executors = executors;
  }

  get [EXECUTORS](): readonly PolicyExecutor[] {
    return this.executors ?? [this as unknown as PolicyExecutor];
  }

  execute<T>(fn: Executable<T>, signal?: AbortSignal): Promise<T> {
    this.chain ??= buildChain(this[EXECUTORS]);
    return runChain(this.chain, undefined, NO_ARGS, fn, 'function', signal) as Promise<T>;
  }
}
