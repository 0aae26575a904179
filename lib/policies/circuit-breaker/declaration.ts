import type { PolicyDeclaration } from '../../engine/declaration.js';
import type { CircuitBreakerPolicy } from './breaker.js';
import type { CircuitBreakerConfig, CircuitBreakerOptions } from './options.js';
import { declareFamily, instanceBreaker, sharedBreaker } from './registry.js';

/**
 * What `@CircuitBreaker` records, from options already read and validated. Runs at class
 * definition: registers an explicit name at once (so a conflicting declaration fails there).
 * Default names (`Class.method`) are only known at the first call, and per-instance breakers are
 * created per object.
 *
 * @param where - the decorator site, for error messages.
 * @param config - the validated options.
 * @param options - the options as written, for `getPolicyMetadata`.
 * @throws PolicyConfigError for a name taken by a breaker with other options.
 * @internal
 */
export function circuitBreakerDeclaration(
  where: string,
  config: CircuitBreakerConfig,
  options: CircuitBreakerOptions | undefined,
): PolicyDeclaration {
  const perInstance = config.scope === 'instance';
  const name = config.name;
  let named: CircuitBreakerPolicy | undefined;
  if (name !== undefined) {
    if (perInstance) declareFamily(name, config, where);
    else named = sharedBreaker(name, config, where);
  }
  return {
    kind: 'circuitBreaker',
    options: options ?? {},
    perInstance,
    create(site) {
      const at = `@CircuitBreaker on ${site.label}`;
      if (perInstance) return instanceBreaker(name ?? site.label, config, site.instance!, at);
      return named ?? sharedBreaker(site.label, config, at);
    },
  };
}
