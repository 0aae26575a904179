import type { AttemptContext } from './attempt.js';
import { runInScope } from './async-context.js';
import type { PolicyKind } from '../shared/policy-kind.js';
import type { Scope } from './scope.js';

/**
 * One attempt's view of a call, handed from policy to policy, outermost first. Immutable:
 * a policy that changes something (a timeout's scope, a breaker's guard) passes on a copy.
 * @internal
 */
export interface Call {
  readonly scope: Scope;
  readonly thisArg: unknown;
  readonly args: readonly unknown[];
  /** The decorated method, or the function given to `execute`. */
  readonly target: (...args: never[]) => unknown;
  /** `'method'`: apply target to thisArg/args; `'function'`: call target(signal). */
  readonly mode: 'method' | 'function';
  /** The caller passed an AbortSignal as the last argument: replace it with the scope's signal. */
  readonly signalArg: boolean;
  /** Set by an outer breaker: true when the call should make no further attempt. */
  readonly abandoned: (() => boolean) | undefined;
  /** The attempt, for a functional `fn` ({@link FIRST_ATTEMPT} unless a retry set another). */
  readonly context: AttemptContext;
}

/** The next layer of the chain. @internal */
export type Step = (call: Call) => Promise<unknown>;

/**
 * The kinds of the layers inside a layer, built once per chain (see `buildLayers`).
 * @internal
 */
export interface InnerLayers extends ReadonlySet<PolicyKind> {
  /**
   * The bulkhead among those layers, if any: a breaker ignores the rejections of this bulkhead
   * only (its own chain's), while another bulkhead's (a dependency's) count like any error.
   */
  readonly bulkhead?: object | undefined;
}

/**
 * The run-time half of a policy: what it does around the next layer. Implementations never throw
 * synchronously; they return a settled promise instead.
 * @internal
 */
export interface PolicyExecutor {
  readonly kind: PolicyKind;
  /**
   * @param call - this attempt.
   * @param next - the layers inside this one.
   * @param inner - the kinds of the layers inside this one (e.g. a breaker arms the retry guard only when a retry is inside).
   */
  run(call: Call, next: Step, inner: InnerLayers): Promise<unknown>;
}

/**
 * What a policy offers to be a method's only layer on calls without a caller signal: the entry
 * point admits the call, applies the method itself and hands the outcome back, so the method runs
 * one frame below its caller (V8 captures every frame in between into each Error the method
 * throws, about a microsecond each on a small VM). Must behave exactly like `run` with
 * {@link invokeTarget} as `next` and nothing that can cancel the call.
 * @internal
 */
export interface SoloPolicy {
  /** False for a policy that may have to wait before admitting a call: it then runs as a layer. */
  readonly admitsSynchronously: boolean;
  /** Admits a call: the time it started (NaN when nothing needs it), or the error to reject it with. */
  admitAlone(): number | Error;
  /** The generation of the call `admitAlone` just admitted: read right after it returns. */
  readonly generation: number;
  /** Counts the outcome of a call admitted at `start` in `generation`, and passes it on. */
  settleAlone(result: Promise<unknown>, generation: number, start: number): Promise<unknown>;
}

/** @internal */
export function withScope(call: Call, scope: Scope): Call {
  // Written out rather than spread: a literal gets one hidden class and is several times cheaper.
  return {
    scope,
    thisArg: call.thisArg,
    args: call.args,
    target: call.target,
    mode: call.mode,
    signalArg: call.signalArg,
    abandoned: call.abandoned,
    context: call.context,
  };
}

/** @internal */
export function withAbandoned(call: Call, abandoned: () => boolean): Call {
  return {
    scope: call.scope,
    thisArg: call.thisArg,
    args: call.args,
    target: call.target,
    mode: call.mode,
    signalArg: call.signalArg,
    abandoned,
    context: call.context,
  };
}

/** @internal */
export function withContext(call: Call, context: AttemptContext): Call {
  return {
    scope: call.scope,
    thisArg: call.thisArg,
    args: call.args,
    target: call.target,
    mode: call.mode,
    signalArg: call.signalArg,
    abandoned: call.abandoned,
    context,
  };
}

/**
 * The innermost step: runs the method or function and turns a synchronous throw into a rejection.
 * A decorated method runs inside the async context when its call can be cancelled, so that
 * `currentSignal()` works in it; a functional `fn` gets the signal (and the attempt) as its
 * arguments instead and never pays for the context (on Node 20, entering it slows every later
 * `await` in the process).
 * @internal
 */
export function invokeTarget(call: Call): Promise<unknown> {
  let result: unknown;
  try {
    if (call.mode === 'function') {
      const fn = call.target as (signal?: AbortSignal, context?: AttemptContext) => unknown;
      // A function that declares no parameter can't observe the signal: don't create one for it
      // (under a timeout, that is an AbortController per attempt).
      result = fn.length === 0 ? fn() : fn(call.scope.signal(), call.context);
    } else if (call.scope.cancellable) {
      result = runInScope(call.scope, () => applyMethod(call));
    } else {
      result = (call.target as (...a: readonly unknown[]) => unknown).apply(call.thisArg, call.args as unknown[]);
    }
  } catch (error) {
    return Promise.reject(error);
  }
  return asPromise(result);
}

/**
 * The promise of what a method or function returned: JavaScript callers may return a plain value.
 * Never throws: a result whose prototype cannot be read (a revoked Proxy) makes a promise that
 * rejects as `await` would, rather than an error thrown past the policy that admitted the call.
 * @internal
 */
export function asPromise(result: unknown): Promise<unknown> {
  try {
    if (result instanceof Promise) return result;
  } catch {
    // Not a native promise, then: Promise.resolve reads `then` and rejects with what that throws.
  }
  return Promise.resolve(result);
}

function applyMethod(call: Call): unknown {
  let args = call.args;
  if (call.signalArg) {
    const signal = call.scope.signal();
    if (signal !== args[args.length - 1]) args = [...args.slice(0, -1), signal];
  }
  return (call.target as (...a: readonly unknown[]) => unknown).apply(call.thisArg, args as unknown[]);
}
