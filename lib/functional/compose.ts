import { validatePolicyOrder } from '../config/policy-order.js';
import type { PolicyExecutor } from '../runtime/call.js';
import { DEFAULT_POLICY_ORDER, type PolicyKind } from '../shared/policy-kind.js';
import { PolicyConfigError } from '../errors/policy-config-error.js';
import {
  EXECUTORS,
  ExecutorPolicy,
  isComposablePolicy,
  type AnyPolicy,
  type ComposedPolicy,
} from '../runtime/policy.js';

/**
 * Options of {@link compose} when given as its first argument.
 * @category Composition
 */
export interface ComposeOptions {
  /** The order, outermost first: a permutation of {@link DEFAULT_POLICY_ORDER}. */
  readonly order: readonly PolicyKind[];
}

/**
 * Combines policies into one, applied in {@link DEFAULT_POLICY_ORDER} whatever the argument order
 * (or in `options.order`). At most one policy of each kind.
 *
 * The result's type carries the policies' types: with a `fallback(() => r)` among them,
 * `execute(fn)` resolves to `T | R` (`T` being `fn`'s result); without one, to `T`. With a
 * `retry<In>({ retryOnResult })` among them, `fn` must resolve with an `In` (with `{ order }`
 * putting the retry outside the fallback, the retry also sees the fallback's `R` at run time,
 * which this type does not express: give that retry `retry<In | R>`).
 *
 * @typeParam P - the policies' types (inferred).
 * @param policies - the policies, in any order.
 * @returns one policy whose `execute` runs the given ones, nested in that order.
 * @throws PolicyConfigError when a kind appears twice, an argument is not a policy, or no policy is given.
 * @example
 * ```ts
 * const policy = compose(fallback(() => cached), circuitBreaker({ name: 'api' }), retry(), timeout(2_000));
 * const data = await policy.execute((signal) => fetchData(url, signal)); // Data | typeof cached
 * ```
 * @category Composition
 */
export function compose<P extends readonly AnyPolicy[]>(...policies: P): ComposedPolicy<P>;
/**
 * Combines policies into one, applied in the given order, outermost first.
 *
 * @typeParam P - the policies' types (inferred).
 * @param options - `{ order }`: a permutation of {@link DEFAULT_POLICY_ORDER}.
 * @param policies - the policies, in any order.
 * @returns one policy whose `execute` runs the given ones, nested in `options.order`.
 * @throws PolicyConfigError when a kind appears twice, an argument is not a policy, no policy is
 * given, or the order is invalid.
 * @example
 * ```ts
 * // Each attempt is one breaker outcome.
 * const policy = compose({ order: ['fallback', 'retry', 'circuitBreaker', 'timeout', 'bulkhead'] }, retry(), breaker);
 * ```
 */
export function compose<P extends readonly AnyPolicy[]>(options: ComposeOptions, ...policies: P): ComposedPolicy<P>;
export function compose(...args: readonly unknown[]): AnyPolicy {
  let order: readonly PolicyKind[] = DEFAULT_POLICY_ORDER;
  let policies: readonly unknown[] = args;
  const first = args[0];
  if (typeof first === 'object' && first !== null && !isComposablePolicy(first) && 'order' in first) {
    order = validatePolicyOrder('compose()', first.order);
    policies = args.slice(1);
  }
  const executors: PolicyExecutor[] = [];
  policies.forEach((policy, i) => {
    if (!isComposablePolicy(policy)) {
      throw new PolicyConfigError('compose()', [
        {
          field: `policies[${i}]`,
          value: policy,
          expected: 'a policy created by breakwater (circuitBreaker, retry, fallback, timeout, bulkhead or compose)',
        },
      ]);
    }
    executors.push(...policy[EXECUTORS]);
  });
  const kinds = executors.map((e) => e.kind);
  const repeated = kinds.filter((k, i) => kinds.indexOf(k) !== i);
  if (repeated.length > 0) {
    throw new PolicyConfigError('compose()', [
      {
        field: 'policies',
        value: kinds,
        expected: `at most one policy of each kind (repeated: ${[...new Set(repeated)].join(', ')})`,
      },
    ]);
  }
  if (executors.length === 0) {
    throw new PolicyConfigError('compose()', [{ field: 'policies', value: policies, expected: 'at least one policy' }]);
  }
  executors.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return new ExecutorPolicy(executors[0]!.kind, executors);
}
