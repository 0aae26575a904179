import type { CircuitBreakerHandle } from '../policies/circuit-breaker/handle.js';
import { CircuitBreakerPolicy } from '../policies/circuit-breaker/breaker.js';
import type { CircuitBreakerOptions } from '../policies/circuit-breaker/options.js';
import { sharedBreaker } from '../policies/circuit-breaker/registry.js';
import { resolveCircuitBreakerOptions } from '../policies/circuit-breaker/validate-options.js';
import type { Policy } from '../runtime/policy.js';

/**
 * Creates a circuit breaker for plain functions. The result is both a policy (`execute`, usable
 * in `compose`) and the breaker's handle (`state`, `snapshot()`, `reset()`…).
 *
 * With a `name`, the breaker is registered: the same name (here or in `@CircuitBreaker`) returns
 * the same breaker, until its `dispose()` takes it out of the registry. Without one it is
 * anonymous: not in the registry, and named `'circuitBreaker'` in events. `initialState` starts it
 * from a state saved by `saveState()`, in this process or an earlier one.
 *
 * @param options - the `@CircuitBreaker` options, except `scope: 'instance'` (there is no object).
 * @returns the breaker, as a policy and a handle.
 * @throws PolicyConfigError listing every invalid option (an `initialState` that does not fit them
 *   included), or when `name` is used by a breaker with other options (naming its first declaration
 *   and each option that differs).
 * @example
 * ```ts
 * const payments = circuitBreaker({ name: 'payments', failureThreshold: 5 });
 * const receipt = await payments.execute((signal) => gateway.charge(amount, signal));
 * if (payments.state === CircuitState.Open) log.warn('payments circuit open');
 * ```
 * @category Circuit breaker
 */
export function circuitBreaker(options?: CircuitBreakerOptions): Policy & CircuitBreakerHandle {
  const config = resolveCircuitBreakerOptions('circuitBreaker()', options, true);
  if (config.name === undefined) return new CircuitBreakerPolicy('circuitBreaker', config);
  return sharedBreaker(config.name, config, {
    where: `circuitBreaker({ name: ${JSON.stringify(config.name)} })`,
    decorated: false,
  });
}
