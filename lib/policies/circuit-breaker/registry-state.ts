import { sharedState } from '../../shared/shared-state.js';
import { PolicyConfigError } from '../../errors/policy-config-error.js';
import { NameRegistry } from '../../runtime/registry.js';
import type { CircuitBreakerPolicy } from './breaker.js';
import type { CircuitBreakerConfig } from './options.js';

/** The breakers of one per-instance declaration name: one per object, numbered from 1. @internal */
export interface Family {
  readonly config: CircuitBreakerConfig;
  last: number;
  readonly byObject: WeakMap<object, CircuitBreakerPolicy>;
}

/** Who declared a strongly held breaker first, and which decorator uses it. @internal */
export interface Origin {
  /** `@CircuitBreaker on Class.method`, or `circuitBreaker({ name: "…" })`. */
  readonly where: string;
  /** The first decorator that uses it (its class holds it, so it cannot be disposed), if any. */
  decoratedBy: string | undefined;
}

// How the registry holds breakers:
// - explicit names (`@CircuitBreaker({ name })`, `circuitBreaker({ name })`) strongly: a name is a
//   shared identity, bounded by the code; a functional one can be let go with `dispose()`;
// - default names (`Class.method`) weakly: the decorated method's chain holds its breaker, so it
//   lives as long as its class, and a class created at run time (per tenant, per test) takes it
//   along when it goes;
// - per-instance breakers (`name#k`) weakly: the object's chain holds its breaker.
// One registry per process, not per copy of the package (see lib/shared/shared-state.ts): a breaker
// found here may be an instance of the other copy's class, so it is only used through its methods.
interface BreakerRegistry {
  readonly breakers: NameRegistry<CircuitBreakerPolicy>;
  readonly families: Map<string, Family>;
}

/** @internal */
export const { breakers, families } = sharedState('circuitBreakerRegistry', (): BreakerRegistry => ({
  breakers: new NameRegistry(),
  families: new Map(),
}));

/**
 * First declarations of the strongly held breakers that a decorator uses, and of per-instance
 * families (a breaker only `circuitBreaker()` made has none). A slot of its own, so that the
 * `circuitBreakers` slot keeps the shape older copies know; weak, so it never keeps anything alive.
 * @internal
 */
export const origins = sharedState('circuitBreakerOrigins', () => new WeakMap<object, Origin>());

/**
 * Per-instance families of decorated methods without an explicit name, by their default name
 * (`Class.method`): held weakly, like the default-named breakers, since the declaration holds its
 * family for as long as its class lives. A slot of its own, for the same reason as `origins`.
 * @internal
 */
export const methodFamilies = sharedState('circuitBreakerMethodFamilies', () => {
  const families = new Map<string, WeakRef<Family>>();
  const collected = new FinalizationRegistry<string>((label) => {
    if (families.get(label)?.deref() === undefined) families.delete(label);
  });
  return { families, collected };
});

/** The per-instance family declared under `name` (explicitly or as a default name), if any. @internal */
export function familyOf(name: string): Family | undefined {
  return families.get(name) ?? methodFamilies.families.get(name)?.deref();
}

/**
 * Takes a breaker out of the registry (what `handle.dispose()` does). Idempotent; a no-op for an
 * anonymous breaker, or one already replaced under its name.
 *
 * @throws PolicyConfigError when a decorated method uses the breaker: it lives as long as its
 *   class (default and per-instance names go with their class or object by themselves).
 * @internal
 */
export function disposeBreaker(breaker: CircuitBreakerPolicy): void {
  const name = breaker.name;
  if (breakers.get(name) !== breaker) return;
  const weak = breakers.isWeak(name);
  const origin = origins.get(breaker);
  if (weak || origin?.decoratedBy !== undefined) {
    throw new PolicyConfigError(`dispose() of circuit breaker ${JSON.stringify(name)}`, [
      {
        field: 'name',
        value: name,
        expected: weak
          ? 'the name of a breaker made by circuitBreaker(): this one belongs to a decorated method (a default or per-instance name) and goes with its class or object by itself'
          : `the name of a breaker made by circuitBreaker() only: ${origin!.decoratedBy!} uses this one, and it lives as long as its class does`,
      },
    ]);
  }
  breakers.delete(name);
}
