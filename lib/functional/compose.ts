import { validatePolicyOrder } from '../decorators/policy-order.js';
import type { PolicyExecutor } from '../engine/call.js';
import { DEFAULT_POLICY_ORDER, type PolicyKind } from '../engine/policy-kind.js';
import { PolicyConfigError } from '../errors/policy-config-error.js';
import { EXECUTORS, ExecutorPolicy, isComposablePolicy, type Policy } from './policy.js';

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
 * @param args - policies, optionally preceded by `{ order }`.
 * @returns one policy whose `execute` runs the given ones, nested in that order.
 * @throws PolicyConfigError when a kind appears twice, an argument is not a policy, or the order is invalid.
 * @example
 * ```ts
 * const policy = compose(fallback(() => cached), circuitBreaker({ name: 'api' }), retry(), timeout(2_000));
 * const data = await policy.execute((signal) => fetch(url, { signal }));
 * ```
 * @category Composition
 */
export function compose(...args: [ComposeOptions, ...Policy[]] | Policy[]): Policy {
  let order: readonly PolicyKind[] = DEFAULT_POLICY_ORDER;
  let policies: unknown[] = args;
  const first = args[0];
  if (first !== undefined && !isComposablePolicy(first) && typeof first === 'object' && 'order' in first) {
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
