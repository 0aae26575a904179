import type { PolicyDeclaration } from '../../runtime/declaration.js';
import type { CircuitBreakerPolicy } from './breaker.js';
import type { CircuitBreakerConfig, CircuitBreakerOptions } from './options.js';
import { declareFamily, instanceBreaker, methodBreaker, sharedBreaker } from './registry.js';
import type { Family } from './registry-state.js';

/**
 * What `@CircuitBreaker` records, from options already read and validated. Runs at class
 * definition: registers an explicit name at once (so a conflicting declaration fails there).
 * Default names (`Class.method`) are only known at the first call (their breaker is held by the
 * method and weakly by the registry), and per-instance breakers are created per object.
 *
 * @param where - the decorator site, for error messages.
 * @param config - the validated options.
 * @param options - the options as written, for `getPolicyMetadata`.
 * @param now - the config in force when a default-named or per-instance breaker is created (the
 *   decorator's options over the policy defaults), from the decorator site.
 * @throws PolicyConfigError for a name taken by a breaker with other options.
 * @internal
 */
export function circuitBreakerDeclaration(
  where: string,
  config: CircuitBreakerConfig,
  options: CircuitBreakerOptions | undefined,
  now: (where: string) => CircuitBreakerConfig = () => config,
): PolicyDeclaration {
  const perInstance = config.scope === 'instance';
  const name = config.name;
  let named: CircuitBreakerPolicy | undefined;
  let family: Family | undefined;
  if (name !== undefined) {
    if (perInstance) family = declareFamily(name, config, where);
    else named = sharedBreaker(name, config, { where, decorated: true });
  }
  return {
    kind: 'circuitBreaker',
    options: options ?? {},
    perInstance,
    create(site) {
      const at = `@CircuitBreaker on ${site.label}`;
      if (perInstance) {
        // A default name belongs to its class: its family is held weakly, and goes with the class.
        family ??= declareFamily(site.label, now(at), at, true);
        return instanceBreaker(family, name ?? site.label, site.instance!);
      }
      // Likewise a default-named shared breaker: the method's chain holds it, the registry weakly.
      return named ?? methodBreaker(site.label, now(at), at);
    },
  };
}
