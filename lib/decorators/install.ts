import { FIRST_ATTEMPT } from '../runtime/attempt.js';
import { asPromise, type PolicyExecutor } from '../runtime/call.js';
import { buildLayers, runChain, type Chain } from '../runtime/chain.js';
import type { PolicyDeclaration } from '../runtime/declaration.js';
import { POLICY_METADATA_KEY, type MethodPolicyRecord } from './metadata.js';
import { DEFAULT_POLICY_ORDER, type PolicyKind } from '../shared/policy-kind.js';
import { isAbortSignal, NO_SCOPE } from '../runtime/scope.js';
import { findOwner, resolveSite } from './site.js';
import { PolicyConfigError } from '../errors/policy-config-error.js';

type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

const records = new WeakMap<AnyMethod, MethodPolicyRecord>();

/** @internal */
export function recordOf(fn: unknown): MethodPolicyRecord | undefined {
  return typeof fn === 'function' ? records.get(fn as AnyMethod) : undefined;
}

/** The record's declarations in the order in force, outermost first. @internal */
export function orderedDeclarations(record: MethodPolicyRecord): PolicyDeclaration[] {
  const order = record.order ?? DEFAULT_POLICY_ORDER;
  return [...record.declarations].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/**
 * Creates the one wrapper for a method. Decorators only add declarations to its record; the chain
 * is built on the first call, when the class (and, for per-instance policies, the object) is known.
 */
function createWrapper(original: AnyMethod, methodName: string, legacyOwner: object | undefined): AnyMethod {
  const record: MethodPolicyRecord = { methodName, declarations: [], order: undefined };
  let shared: Chain | undefined;
  let perInstance: WeakMap<object, Chain> | undefined;

  // Policies shared by every object are created once; per-instance ones once per object.
  let sharedExecutors: Map<PolicyDeclaration, PolicyExecutor> | undefined;
  const chainFor = (self: unknown): Chain => {
    const owner = findOwner(self, methodName, wrapper) ?? legacyOwner;
    const declarations = orderedDeclarations(record);
    const site = resolveSite(owner, methodName);
    if (sharedExecutors === undefined) {
      sharedExecutors = new Map(declarations.filter((d) => !d.perInstance).map((d) => [d, d.create(site)]));
    }
    const executors = sharedExecutors;
    if (!declarations.some((d) => d.perInstance))
      return (shared = buildLayers(declarations.map((d) => executors.get(d)!)));
    if (typeof self !== 'object' || self === null) {
      throw new TypeError(
        `${site.label} has a per-instance policy (scope: 'instance') and must be called on an object, not on ${String(self)}`,
      );
    }
    perInstance ??= new WeakMap();
    const instanceSite = { ...site, instance: self };
    const chain = buildLayers(declarations.map((d) => executors.get(d) ?? d.create(instanceSite)));
    perInstance.set(self, chain);
    return chain;
  };

  const wrapper = function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const last = args.length > 0 ? args[args.length - 1] : undefined;
    const callerSignal = last !== undefined && isAbortSignal(last) ? last : undefined;
    let chain: Chain;
    try {
      chain =
        shared ??
        (perInstance !== undefined && typeof this === 'object' && this !== null ? perInstance.get(this) : undefined) ??
        chainFor(this);
    } catch (error) {
      return Promise.reject(error);
    }
    const solo = chain.alone;
    if (callerSignal === undefined && solo !== undefined) {
      // A single policy (typically a breaker) and nothing to cancel: no call record, and the method
      // applied right here, one frame below its caller (see SoloPolicy).
      let start: number | Error;
      try {
        start = solo.admitAlone();
      } catch (error) {
        // Only an injected clock or a subscriber that throws synchronously gets here.
        return Promise.reject(error);
      }
      if (typeof start !== 'number') return Promise.reject(start);
      const generation = solo.generation;
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        result = Promise.reject(error);
      }
      return solo.settleAlone(asPromise(result), generation, start);
    }
    if (callerSignal === undefined && chain.head !== undefined) {
      // The hot path: no caller signal, so no race to set up; one object for the whole call, and
      // the outermost layer called directly (a frame fewer under every error the method throws).
      try {
        return chain.head.run(
          {
            scope: NO_SCOPE,
            thisArg: this,
            args,
            target: original,
            mode: 'method',
            signalArg: false,
            abandoned: undefined,
            context: FIRST_ATTEMPT,
          },
          chain.next,
          chain.inner,
        );
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return runChain(chain.step, this, args, original, 'method', callerSignal);
  };
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  records.set(wrapper, record);
  Reflect.defineMetadata(POLICY_METADATA_KEY, record, wrapper);
  if (legacyOwner !== undefined) Reflect.defineMetadata(POLICY_METADATA_KEY, record, legacyOwner, methodName);
  return wrapper;
}

/**
 * Adds a declaration to a method, wrapping it the first time. Returns the wrapper (the same one
 * for every decorator on the method).
 * @internal
 */
export function attachDeclaration(
  method: unknown,
  methodName: string,
  declaration: PolicyDeclaration | { order: readonly PolicyKind[] },
  legacyOwner: object | undefined,
): AnyMethod {
  if (typeof method !== 'function') {
    throw new PolicyConfigError(`${methodName}`, [{ field: 'target', value: method, expected: 'a method' }]);
  }
  let wrapper = method as AnyMethod;
  let record = records.get(wrapper);
  if (record === undefined) {
    wrapper = createWrapper(method as AnyMethod, methodName, legacyOwner);
    record = records.get(wrapper)!;
  }
  // The decorators check this first, naming the class where they can; this keeps the record sound.
  const name = 'kind' in declaration ? decoratorName(declaration.kind) : 'PolicyOrder';
  if (
    'kind' in declaration ? record.declarations.some((d) => d.kind === declaration.kind) : record.order !== undefined
  ) {
    throw new PolicyConfigError(`@${name} on ${methodName}`, [
      {
        field: 'decorator',
        value: undefined,
        expected: `one @${name} per method`,
        message: `@${name} is declared twice on ${methodName}: a method takes each policy once`,
      },
    ]);
  }
  if ('kind' in declaration) record.declarations.push(declaration);
  else record.order = declaration.order;
  return wrapper;
}

/** @internal */
export function decoratorName(kind: PolicyKind): string {
  return kind === 'circuitBreaker' ? 'CircuitBreaker' : kind.charAt(0).toUpperCase() + kind.slice(1);
}
