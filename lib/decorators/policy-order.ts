import { DEFAULT_POLICY_ORDER, isPolicyKind, type PolicyKind } from '../engine/policy-kind.js';
import { PolicyConfigError } from '../errors/policy-config-error.js';
import { makeDecorator, type ResilienceDecorator } from './make-decorator.js';

/**
 * Checks an order override: every policy kind exactly once.
 * @internal
 */
export function validatePolicyOrder(where: string, order: unknown): readonly PolicyKind[] {
  const expected = `an array of ${DEFAULT_POLICY_ORDER.map((k) => `'${k}'`).join(', ')}, each exactly once`;
  if (
    !Array.isArray(order) ||
    order.length !== DEFAULT_POLICY_ORDER.length ||
    !order.every(isPolicyKind) ||
    new Set(order).size !== order.length
  ) {
    throw new PolicyConfigError(where, [{ field: 'order', value: order, expected }]);
  }
  return Object.freeze([...order] as PolicyKind[]);
}

/**
 * Overrides the composition order for one method, outermost first. The order must list every
 * kind once; kinds the method does not use are skipped.
 *
 * @param order - a permutation of {@link DEFAULT_POLICY_ORDER}.
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError at class definition when `order` is not a permutation.
 * @example
 * ```ts
 * class Inventory {
 *   // Retry outside the breaker: each attempt is one breaker outcome; an open circuit is never retried.
 *   @PolicyOrder(['fallback', 'retry', 'circuitBreaker', 'timeout', 'bulkhead'])
 *   @Retry({ maxAttempts: 3 })
 *   @CircuitBreaker()
 *   async reserve(sku: string): Promise<void> { … }
 * }
 * ```
 * @category Composition
 * @group Decorators
 */
export function PolicyOrder(order: readonly PolicyKind[]): ResilienceDecorator {
  return makeDecorator('PolicyOrder', (site) => ({ order: validatePolicyOrder(site.where, order) }));
}
