import { sharedState } from '../../engine/shared-state.js';
import { PolicyConfigError } from '../../errors/policy-config-error.js';
import { CircuitBreakerPolicy } from './breaker.js';
import type { CircuitBreakerHandle } from './handle.js';
import type { CircuitBreakerConfig } from './options.js';
import { optionDifferences } from './validate-options.js';

/** The breakers of one per-instance declaration name: one per object, numbered from 1. */
interface Family {
  readonly config: CircuitBreakerConfig;
  last: number;
  readonly byObject: WeakMap<object, CircuitBreakerPolicy>;
}

// Shared breakers are held strongly: there is one per declared name or decorated method, a number
// bounded by the code. Per-instance breakers (`name#k`) are held weakly, so an object's breaker
// goes with the object and a registry of per-object breakers cannot grow without bound.
// One registry per process, not per copy of the package (see lib/engine/shared-state.ts): a breaker
// found here may be an instance of the other copy's class, so it is only used through its methods.
interface BreakerRegistry {
  readonly entries: Map<string, CircuitBreakerPolicy | WeakRef<CircuitBreakerPolicy>>;
  readonly families: Map<string, Family>;
  readonly collected: FinalizationRegistry<string>;
}

const { entries, families, collected } = sharedState('circuitBreakers', (): BreakerRegistry => {
  const created: BreakerRegistry = {
    entries: new Map(),
    families: new Map(),
    collected: new FinalizationRegistry<string>((name) => {
      const entry = created.entries.get(name);
      if (entry instanceof WeakRef && entry.deref() === undefined) created.entries.delete(name);
    }),
  };
  return created;
});

function lookup(name: string): CircuitBreakerPolicy | undefined {
  const entry = entries.get(name);
  return entry instanceof WeakRef ? entry.deref() : entry;
}

function checkSame(where: string, name: string, existing: CircuitBreakerConfig, config: CircuitBreakerConfig): void {
  const differ = optionDifferences(existing, config);
  if (differ.length > 0) {
    throw new PolicyConfigError(where, [
      {
        field: 'name',
        value: name,
        expected: `a name not already used by a breaker with other options (differs in ${differ.join(', ')})`,
      },
    ]);
  }
}

/**
 * The breaker registered under `name`, created if there is none.
 *
 * @throws PolicyConfigError when `name` is taken by a breaker with other options.
 * @internal
 */
export function sharedBreaker(name: string, config: CircuitBreakerConfig, where: string): CircuitBreakerPolicy {
  const family = families.get(name);
  if (family !== undefined) checkSame(where, name, family.config, config);
  const existing = lookup(name);
  if (existing !== undefined) {
    checkSame(where, name, existing.config, config);
    return existing;
  }
  const breaker = new CircuitBreakerPolicy(name, config);
  entries.set(name, breaker);
  return breaker;
}

/**
 * Declares a per-instance breaker name (checked when the class is defined).
 *
 * @throws PolicyConfigError when `name` is taken by a breaker with other options.
 * @internal
 */
export function declareFamily(name: string, config: CircuitBreakerConfig, where: string): Family {
  const family = families.get(name);
  if (family !== undefined) {
    checkSame(where, name, family.config, config);
    return family;
  }
  const shared = lookup(name);
  if (shared !== undefined) checkSame(where, name, shared.config, config);
  const created: Family = { config, last: 0, byObject: new WeakMap() };
  families.set(name, created);
  return created;
}

/**
 * The breaker of `instance` for the per-instance name `name`, registered as `name#k` and held weakly.
 * @internal
 */
export function instanceBreaker(
  name: string,
  config: CircuitBreakerConfig,
  instance: object,
  where: string,
): CircuitBreakerPolicy {
  const family = declareFamily(name, config, where);
  const known = family.byObject.get(instance);
  if (known !== undefined) return known;
  let key: string;
  do key = `${name}#${++family.last}`;
  while (lookup(key) !== undefined);
  const breaker = new CircuitBreakerPolicy(key, config);
  family.byObject.set(instance, breaker);
  entries.set(key, new WeakRef(breaker));
  collected.register(breaker, key);
  return breaker;
}

/** Names in the registry, collected per-instance entries not yet swept included. @internal */
export function registeredNames(): string[] {
  return [...entries.keys()];
}

/**
 * The breaker registered under `name`. Decorated methods register on their first call at the
 * latest (explicit names: when the class is defined); `circuitBreaker()` with a `name` registers
 * at creation; an unnamed `circuitBreaker()` is anonymous and not registered.
 *
 * @param name - an explicit `name`, a default `Class.method`, or `name#k` for a per-instance breaker.
 * @returns the handle, or `undefined`.
 * @example
 * ```ts
 * const payments = getCircuitBreaker('payments');
 * if (payments?.state === CircuitState.Open) res.status(503);
 * ```
 * @category Circuit breaker
 */
export function getCircuitBreaker(name: string): CircuitBreakerHandle | undefined {
  return lookup(name);
}

/**
 * Every registered breaker (per-instance ones while their object lives).
 *
 * @returns a new array of their handles.
 * @example
 * ```ts
 * for (const b of listCircuitBreakers()) gauge.set({ breaker: b.name }, b.snapshot().metrics.failureRate);
 * ```
 * @category Circuit breaker
 */
export function listCircuitBreakers(): CircuitBreakerHandle[] {
  const all: CircuitBreakerHandle[] = [];
  for (const name of entries.keys()) {
    const breaker = lookup(name);
    if (breaker !== undefined) all.push(breaker);
  }
  return all;
}
