import { circuitBreakerDeclaration } from '../policies/circuit-breaker/declaration.js';
import type { CircuitBreakerOptions } from '../policies/circuit-breaker/options.js';
import { makeDecorator, type ResilienceDecorator } from './make-decorator.js';

/**
 * Guards an async method with a circuit breaker: after too many failures the circuit opens and
 * calls fail fast with `CircuitOpenError`, without running the method, until probes show the
 * dependency has recovered. See docs/circuit-breaker.md for every option.
 *
 * @param options - all optional; the same as `circuitBreaker()`'s.
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError when the class is defined, listing every invalid option, or when an
 *   explicit `name` is already used by a breaker with other options.
 * @example
 * ```ts
 * class PaymentClient {
 *   @CircuitBreaker({ name: 'payments', failureThreshold: 5, resetTimeout: 30_000 })
 *   async charge(amount: number): Promise<Receipt> { … }
 * }
 * getCircuitBreaker('payments')?.snapshot();
 * ```
 * @category Circuit breaker
 * @group Decorators
 */
export function CircuitBreaker(options?: CircuitBreakerOptions): ResilienceDecorator {
  return makeDecorator('CircuitBreaker', (site) => circuitBreakerDeclaration(site.where, options));
}
