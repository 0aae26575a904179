import { PolicyConfigError } from '../../errors/policy-config-error.js';
import { CircuitBreakerPolicy } from './breaker.js';
import { SharedCircuitBreaker } from './store/shared-breaker.js';
import type { CircuitBreakerHandle } from './handle.js';
import { describeDifferences } from './option-differences.js';
import type { CircuitBreakerConfig } from './options.js';
import { breakers, families, familyOf, methodFamilies, origins, type Family } from './registry-state.js';

/** Who declares a breaker: the label for messages, and whether it is a decorator. @internal */
export interface Declarer {
  /** `@CircuitBreaker on Class.method`, or `circuitBreaker({ name: "…" })` (only shown for a conflict). */
  readonly where: string;
  readonly decorated: boolean;
}

/** How `circuitBreaker({ name })` is shown in messages. */
function functionalWhere(name: string): string {
  return `circuitBreaker({ name: ${JSON.stringify(name)} })`;
}

/** Where the registered breaker (or family) `holder` was first declared, for messages. */
function firstDeclaration(holder: object, name: string): string {
  const where = origins.get(holder)?.where;
  if (where !== undefined) return where.startsWith('@') ? where : `a functional policy, ${where}`;
  // No origin: a weakly held breaker has its default name (its method's label); a strongly held
  // one was made by circuitBreaker(), which records nothing (it saves a few hundred bytes a name).
  return breakers.isWeak(name) ? `@CircuitBreaker on ${name}` : `a functional policy, ${functionalWhere(name)}`;
}

function checkSame(
  declarer: Declarer,
  name: string,
  holder: object,
  existing: CircuitBreakerConfig,
  config: CircuitBreakerConfig,
): void {
  const differ = describeDifferences(existing, config);
  if (differ.length === 0) return;
  const list = differ.map((d) => `${d.field} (${d.first} there, ${d.second} here)`).join(', ');
  throw new PolicyConfigError(declarer.where, [
    {
      field: 'name',
      value: name,
      expected: `a name not already used by a breaker with other options: ${JSON.stringify(name)} was first declared by ${firstDeclaration(holder, name)}, and differs in ${list}`,
    },
  ]);
}

/** Notes that a decorated method (`where`) uses the registered breaker `name`: it can no longer be disposed. */
function markDecorated(breaker: CircuitBreakerPolicy, name: string, where: string): void {
  const origin = origins.get(breaker);
  if (origin !== undefined) origin.decoratedBy ??= where;
  else if (!breakers.isWeak(name)) origins.set(breaker, { where: functionalWhere(name), decoratedBy: where });
}

/**
 * The breaker registered under the explicit `name`, created (and held strongly) if there is none.
 *
 * @throws PolicyConfigError when `name` is taken by a breaker with other options.
 * @internal
 */
export function sharedBreaker(name: string, config: CircuitBreakerConfig, declarer: Declarer): CircuitBreakerPolicy {
  const family = familyOf(name);
  if (family !== undefined) checkSame(declarer, name, family, family.config, config);
  const existing = breakers.get(name);
  if (existing !== undefined) {
    checkSame(declarer, name, existing, existing.config, config);
    if (breakers.isWeak(name)) {
      // A default-named breaker reached by an explicit name: a name is held strongly.
      const where = `@CircuitBreaker on ${name}`;
      breakers.holdStrongly(name, existing);
      origins.set(existing, { where, decoratedBy: where });
    }
    if (declarer.decorated) markDecorated(existing, name, declarer.where);
    return existing;
  }
  const breaker =
    config.store === undefined
      ? new CircuitBreakerPolicy(name, config)
      : new SharedCircuitBreaker(name, config, config.store);
  breakers.holdStrongly(name, breaker);
  // Decorated names are bounded by the code; functional ones may be many: they record no origin.
  if (declarer.decorated) origins.set(breaker, { where: declarer.where, decoratedBy: declarer.where });
  return breaker;
}

/**
 * The breaker of a decorated method without an explicit name, registered under its default name
 * `label` (`Class.method`) and held weakly: the method's chain holds it, so it goes with its class.
 *
 * @throws PolicyConfigError when `label` is taken by a breaker with other options.
 * @internal
 */
export function methodBreaker(label: string, config: CircuitBreakerConfig, where: string): CircuitBreakerPolicy {
  const declarer = { where, decorated: true };
  const family = familyOf(label);
  if (family !== undefined) checkSame(declarer, label, family, family.config, config);
  const existing = breakers.get(label);
  if (existing !== undefined) {
    checkSame(declarer, label, existing, existing.config, config);
    markDecorated(existing, label, where);
    return existing;
  }
  const breaker = new CircuitBreakerPolicy(label, config);
  breakers.holdWeakly(label, breaker);
  return breaker;
}

/**
 * Declares a per-instance breaker name: an explicit one (checked when the class is defined, and
 * held strongly), or with `weak`, a method's default name (held weakly: its declaration holds it).
 *
 * @throws PolicyConfigError when `name` is taken by a breaker with other options.
 * @internal
 */
export function declareFamily(name: string, config: CircuitBreakerConfig, where: string, weak = false): Family {
  const declarer = { where, decorated: true };
  const family = familyOf(name);
  if (family !== undefined) {
    checkSame(declarer, name, family, family.config, config);
    return family;
  }
  const shared = breakers.get(name);
  if (shared !== undefined) checkSame(declarer, name, shared, shared.config, config);
  const created: Family = { config, last: 0, byObject: new WeakMap() };
  if (weak) {
    methodFamilies.families.set(name, new WeakRef(created));
    methodFamilies.collected.register(created, name);
  } else {
    families.set(name, created);
  }
  origins.set(created, { where, decoratedBy: where });
  return created;
}

/**
 * The breaker of `instance` in `family` (declared as `name`), registered as `name#k` and held weakly.
 * @internal
 */
export function instanceBreaker(family: Family, name: string, instance: object): CircuitBreakerPolicy {
  const known = family.byObject.get(instance);
  if (known !== undefined) return known;
  let key: string;
  do key = `${name}#${++family.last}`;
  while (breakers.get(key) !== undefined);
  const breaker = new CircuitBreakerPolicy(key, family.config);
  family.byObject.set(instance, breaker);
  breakers.holdWeakly(key, breaker);
  return breaker;
}

/** Names in the registry, collected weak entries not yet swept included. @internal */
export function registeredNames(): string[] {
  return breakers.names();
}

/**
 * The breaker registered under `name`. Decorated methods register on their first call at the
 * latest (explicit names: when the class is defined); `circuitBreaker()` with a `name` registers
 * at creation; an unnamed `circuitBreaker()` is anonymous and not registered. A default-named
 * breaker is listed while its class lives, a per-instance one while its object lives, and a
 * functional one until its `dispose()`.
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
  return breakers.get(name);
}

/**
 * Every registered breaker (default-named ones while their class lives, per-instance ones while
 * their object lives).
 *
 * @returns a new array of their handles.
 * @example
 * ```ts
 * for (const b of listCircuitBreakers()) gauge.set({ breaker: b.name }, b.snapshot().metrics.failureRate);
 * ```
 * @category Circuit breaker
 */
export function listCircuitBreakers(): CircuitBreakerHandle[] {
  return breakers.values();
}
