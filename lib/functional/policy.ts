import type { PolicyExecutor, Step } from '../engine/call.js';
import { buildChain, runChain } from '../engine/chain.js';
import type { PolicyKind } from '../engine/policy-kind.js';

/** The function a policy runs: it receives the call's AbortSignal (`undefined` when nothing can cancel it). */
export type Executable<T> = (signal: AbortSignal | undefined) => PromiseLike<T> | T;

/**
 * A policy of the functional API: the same engine, registry and events as the decorators.
 *
 * @example
 * ```ts
 * const users = retry({ maxAttempts: 3 });
 * const user = await users.execute((signal) => fetchUser(id, signal), request.signal);
 * ```
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

/** @internal */
export const EXECUTORS: unique symbol = Symbol('breakwater.executors') as never;

/** A policy whose run-time layers the engine can compose. @internal */
export interface ComposablePolicy extends Policy {
  readonly [EXECUTORS]: readonly PolicyExecutor[];
}

/** @internal */
export function isComposablePolicy(value: unknown): value is ComposablePolicy {
  return typeof value === 'object' && value !== null && EXECUTORS in value;
}

/**
 * Base for the functional policies: builds its chain once and runs calls through the engine.
 * @internal
 */
export class ExecutorPolicy implements ComposablePolicy {
  private chain: Step | undefined;
  readonly [EXECUTORS]: readonly PolicyExecutor[];

  constructor(
    readonly kind: PolicyKind,
    executors: readonly PolicyExecutor[],
  ) {
    this[EXECUTORS] = executors;
  }

  execute<T>(fn: Executable<T>, signal?: AbortSignal): Promise<T> {
    this.chain ??= buildChain(this[EXECUTORS]);
    return runChain(this.chain, undefined, NO_ARGS, fn, 'function', signal) as Promise<T>;
  }
}
