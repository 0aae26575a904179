import { validatePolicyOrder } from '../config/policy-order.js';
import type { PolicyKind } from '../shared/policy-kind.js';
import { makeDecorator, prepare, rejectUncalled, type ResilienceDecorator } from './make-decorator.js';

/**
 * Overrides the composition order for one method, outermost first. The order must list every
 * kind once; kinds the method does not use are skipped.
 *
 * @param order - a permutation of {@link DEFAULT_POLICY_ORDER}.
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError at class definition when `order` is not a permutation, for a second
 *   `@PolicyOrder` on the method, or for `@PolicyOrder` written without its call.
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
  const usage = "@PolicyOrder(['fallback', 'circuitBreaker', 'retry', 'timeout', 'bulkhead'])";
  // eslint-disable-next-line prefer-rest-params -- the signature stays the one users see
  rejectUncalled('PolicyOrder', arguments, usage);
  const prepared = prepare(() => validatePolicyOrder('@PolicyOrder', order));
  return makeDecorator('PolicyOrder', (_site, validated) => ({ order: validated }), { kind: 'order', prepared });
}
