import type { PolicyExecutor, Step } from '../engine/call.js';
import { buildChain, runChain } from '../engine/chain.js';
import type { PolicyKind } from '../engine/policy-kind.js';

/**
 * The function a policy runs: it receives the call's AbortSignal (`undefined` when nothing can
 * cancel it). A function that declares no parameter (`fn.length === 0`, which includes
 * `(...args) =>` and `(s = x) =>`) is called with none, so that no AbortController is created for
 * work that can't observe it: name the parameter to receive the signal.
 * @category Composition
 */
export type Executable<T> = (signal: AbortSignal | undefined) => PromiseLike<T> | T;

/**
 * A policy of the functional API: the same engine, registry and events as the decorators.
 *
 * @example
 * ```ts
 * const users = retry({ maxAttempts: 3 });
 * const user = await users.execute((signal) => fetchUser(id, signal), request.signal);
 * ```
 * @category Composition
 */
export interface Policy {
  /** Which kind of policy this is (a composed policy reports its outermost kind). */
  readonly kind: PolicyKind;
  /**
   * Runs `fn` under this policy.
   *
   * @param fn - the work; receives the call's AbortSignal.
   * @param signal - the caller's signal: aborting it rejects the call at once with its reason.
   */
  execute<T>(fn: Executable<T>, signal?: AbortSignal): Promise<T>;
}

const NO_ARGS: readonly unknown[] = Object.freeze([]);

// A registered symbol, versioned like lib/engine/shared-state.ts: a named breaker may come from the
// other copy of the package (ESM and CommonJS in one process), and compose() must still see its layers.
/** @internal */
export const EXECUTORS: unique symbol = Symbol.for('breakwater.executors.v1') as never;

/** A policy whose run-time layers the engine can compose. @internal */
export interface ComposablePolicy extends Policy {
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
