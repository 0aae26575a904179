import { invokeTarget, type Call, type InnerLayers, type PolicyExecutor, type SoloPolicy, type Step } from './call.js';
import { FIRST_ATTEMPT } from './attempt.js';
import type { PolicyKind } from '../shared/policy-kind.js';
import { CallerScope, NO_SCOPE } from './scope.js';

/** The kinds inside a layer and the bulkhead among them: built once per chain. */
class LayerKinds extends Set<PolicyKind> implements InnerLayers {
  constructor(
    kinds: Iterable<PolicyKind>,
    readonly bulkhead: PolicyExecutor | undefined,
  ) {
    super(kinds);
  }
}

/** @internal */
export const NO_INNER: InnerLayers = new LayerKinds([], undefined);

/**
 * A prebuilt chain, and its outermost layer apart, so that an entry point can call that layer
 * directly: one frame fewer per call, which matters whenever the wrapped work throws a new Error
 * (V8 captures the frames between the caller and the throw).
 * @internal
 */
export interface Chain {
  /** Runs a call through every layer. */
  readonly step: Step;
  /** The outermost layer; `undefined` for a chain with no policy. */
  readonly head: PolicyExecutor | undefined;
  /** The layers inside the head. */
  readonly next: Step;
  /** The kinds inside the head. */
  readonly inner: InnerLayers;
  /** The only layer, when there is one and it is a {@link SoloPolicy}. */
  readonly alone: SoloPolicy | undefined;
}

/**
 * Builds the chain of layers once, outermost first; each call then runs through prebuilt closures.
 * Executors never throw synchronously (their contract), so a layer is one plain call.
 * @internal
 */
export function buildLayers(policies: readonly PolicyExecutor[]): Chain {
  let step: Step = invokeTarget;
  let next: Step = invokeTarget;
  let innerKinds: InnerLayers = NO_INNER;
  const inner = new Set<PolicyKind>();
  // A chain holds at most one policy of each kind (compose and the decorators reject repeats).
  let bulkhead: PolicyExecutor | undefined;
  for (let i = policies.length - 1; i >= 0; i--) {
    const policy = policies[i]!;
    const layerNext = (next = step);
    const layerInner = (innerKinds = inner.size === 0 ? NO_INNER : new LayerKinds(inner, bulkhead));
    step = (call) => policy.run(call, layerNext, layerInner);
    inner.add(policy.kind);
    if (policy.kind === 'bulkhead') bulkhead = policy;
  }
  const only = policies.length === 1 ? policies[0] : undefined;
  const alone = only !== undefined && isSoloPolicy(only) ? only : undefined;
  return { step, head: policies[0], next, inner: innerKinds, alone };
}

function isSoloPolicy(policy: PolicyExecutor): policy is PolicyExecutor & SoloPolicy {
  const solo = policy as Partial<SoloPolicy>;
  return typeof solo.admitAlone === 'function' && solo.admitsSynchronously === true;
}

/**
 * The chain's entry step (see {@link buildLayers}).
 * @internal
 */
export function buildChain(policies: readonly PolicyExecutor[]): Step {
  return buildLayers(policies).step;
}

/**
 * Runs one call through a chain. With a caller signal, the call rejects with the signal's reason
 * the moment it aborts, whatever the layers inside are doing; the listener goes when the call settles.
 * @internal
 */
export function runChain(
  chain: Step,
  thisArg: unknown,
  args: readonly unknown[],
  target: Call['target'],
  mode: Call['mode'],
  callerSignal: AbortSignal | undefined,
): Promise<unknown> {
  if (callerSignal === undefined) {
    try {
      return chain({
        scope: NO_SCOPE,
        thisArg,
        args,
        target,
        mode,
        signalArg: false,
        abandoned: undefined,
        context: FIRST_ATTEMPT,
      });
    } catch (error) {
      // Only a bug in a policy gets here; a call still never throws synchronously.
      return Promise.reject(error);
    }
  }
  if (callerSignal.aborted) return Promise.reject(callerSignal.reason);
  const scope = new CallerScope(callerSignal);
  const call: Call = {
    scope,
    thisArg,
    args,
    target,
    mode,
    signalArg: mode === 'method',
    abandoned: undefined,
    context: FIRST_ATTEMPT,
  };
  return new Promise<unknown>((resolve, reject) => {
    const dispose = scope.onAbort(reject);
    let settled: Promise<unknown>;
    try {
      settled = chain(call);
    } catch (error) {
      settled = Promise.reject(error);
    }
    settled.then(
      (value) => {
        dispose();
        resolve(value);
      },
      (error: unknown) => {
        dispose();
        reject(error);
      },
    );
  });
}
