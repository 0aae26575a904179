import { circuitBreakerDeclaration } from '../policies/circuit-breaker/declaration.js';
import type { CircuitBreakerConfig, CircuitBreakerOptions } from '../policies/circuit-breaker/options.js';
import { breakerConfigNow } from './policy-defaults.js';
import { resolveCircuitBreakerOptions } from '../policies/circuit-breaker/validate-options.js';
import { makeDecorator, prepare, rejectUncalled, type ResilienceDecorator } from './make-decorator.js';

/**
 * Guards an async method with a circuit breaker: after too many failures the circuit opens and
 * calls fail fast with `CircuitOpenError`, without running the method, until probes show the
 * dependency has recovered. See docs/circuit-breaker.md for every option.
 *
 * @param options - all optional; the same as `circuitBreaker()`'s.
 * @returns a method decorator for both decorator modes.
 * @throws PolicyConfigError when the class is defined, listing every invalid option, or when an
 *   explicit `name` is already used by a breaker with other options, when the method already has a
 *   `@CircuitBreaker`, or when it is written `@CircuitBreaker` without its call.
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
  // eslint-disable-next-line prefer-rest-params -- the signature stays the one users see
  rejectUncalled('CircuitBreaker', arguments, '@CircuitBreaker()');
  const prepared = prepare(() => resolveCircuitBreakerOptions('@CircuitBreaker', options));
  const declare = (where: string, config: CircuitBreakerConfig) =>
    circuitBreakerDeclaration(where, config, options, (at) => breakerConfigNow(config, at));
  return makeDecorator('CircuitBreaker', (site, config) => declare(site.where, config), {
    kind: 'circuitBreaker',
    prepared,
  });
}
