import { sharedState } from '../shared/shared-state.js';
import { isPolicyConfigError, PolicyConfigError, type ConfigIssue } from '../errors/policy-config-error.js';
import type { CircuitBreakerConfig, CircuitBreakerOptions } from '../policies/circuit-breaker/options.js';
import { resolveCircuitBreakerOptions } from '../policies/circuit-breaker/validate-options.js';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from '../policies/retry/options.js';

/**
 * Options every decorated method gets for a policy whose decorator does not set them, e.g. one
 * `maxAttempts` for every `@Retry()` of an application. An option written on the decorator wins.
 * `BreakwaterModule.forRoot({ defaults })` of `breakwater/nestjs` sets them for a Nest application.
 *
 * @example
 * ```ts
 * import { setPolicyDefaults } from 'breakwater';
 *
 * setPolicyDefaults({ retry: { maxAttempts: 4, maxDelay: 2_000 }, circuitBreaker: { resetTimeout: 10_000 } });
 * ```
 * @category Composition
 */
export interface PolicyDefaults {
  /**
   * For `@CircuitBreaker` on methods. A breaker's `name`, `scope`, `initialState`, `store` and
   * `consistency` belong to the breaker, not to an application: they cannot be defaults (a store
   * needs a name, which defaults never give).
   */
  readonly circuitBreaker?: Omit<CircuitBreakerOptions, 'name' | 'scope' | 'initialState' | 'store' | 'consistency'>;
  /** For `@Retry` on methods. `retryOnResult` reads a method's own result type, so it is not a default. */
  readonly retry?: Omit<RetryOptions, 'retryOnResult'>;
}

type Given = Readonly<Record<string, unknown>>;

interface Defaults {
  readonly circuitBreaker: Given | undefined;
  readonly retry: Given | undefined;
}

// Process-wide, like the registries: a decorated class of one copy (ESM or CommonJS) of breakwater
// gets the defaults the other copy was given.
const slot = sharedState<{ current: Defaults | undefined }>('policyDefaults', () => ({ current: undefined }));

const WHERE = 'setPolicyDefaults()';
const NOT_DEFAULTS: Readonly<Record<keyof PolicyDefaults, readonly string[]>> = {
  circuitBreaker: ['name', 'scope', 'initialState', 'store', 'consistency'],
  retry: ['retryOnResult'],
};

/**
 * Sets the options every decorated method's circuit breaker and retry get where its decorator does
 * not set them; `undefined` removes them. They apply to the policies created from then on: a
 * method's retry and its default-named or per-instance breaker are created at the method's first
 * call, so defaults set at start-up reach every one of them. A **named** breaker is one breaker for
 * the process, created where its name is first declared, with the options written there: defaults
 * never change it. Functional policies (`retry()`, `circuitBreaker()`) take only their own options.
 *
 * Each kind's defaults are checked here, as options of that policy. An option written on a decorator
 * combined with a default can still disagree (a decorator's `delay` above a default `maxDelay`): that
 * is reported when the method's policy is created, by its first call's rejection.
 *
 * @param defaults - per policy kind, the options to use where a decorator sets none.
 * @throws PolicyConfigError naming each bad default.
 * @example
 * ```ts
 * import { setPolicyDefaults } from 'breakwater';
 *
 * setPolicyDefaults({ retry: { maxAttempts: 5, retryOn: [TypeError] } });
 * ```
 * @category Composition
 */
export function setPolicyDefaults(defaults: PolicyDefaults | undefined): void {
  if (defaults === undefined) {
    slot.current = undefined;
    return;
  }
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) {
    throw new PolicyConfigError(WHERE, [
      { field: 'defaults', value: defaults, expected: '{ circuitBreaker?, retry? } or undefined' },
    ]);
  }
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(defaults)) {
    if (!(key in NOT_DEFAULTS)) {
      issues.push({
        field: key,
        value: (defaults as Record<string, unknown>)[key],
        expected: 'circuitBreaker or retry',
      });
    }
  }
  const read = <T>(kind: keyof PolicyDefaults, resolve: (where: string, raw: unknown) => T & { given: Given }) => {
    const raw: unknown = defaults[kind];
    if (raw === undefined) return undefined;
    // Looked up with `in`, which calls no getter: the options are read once, by `resolve`.
    const misplaced = typeof raw === 'object' && raw !== null ? NOT_DEFAULTS[kind].filter((field) => field in raw) : [];
    for (const field of misplaced) {
      issues.push({
        field: `${kind}.${field}`,
        value: undefined,
        expected: `left out: ${field} belongs to one ${kind === 'retry' ? 'method' : 'breaker'}, not to every one`,
        message: `${kind}.${field} cannot be a default: it belongs to one ${kind === 'retry' ? 'method' : 'breaker'}, not to every one`,
      });
    }
    try {
      const { given } = resolve(`${WHERE}: ${kind}`, raw);
      return misplaced.length > 0 ? undefined : given;
    } catch (error) {
      if (!isPolicyConfigError(error)) throw error;
      for (const issue of error.issues) issues.push({ ...issue, field: `${kind}.${issue.field}` });
      return undefined;
    }
  };
  const circuitBreaker = read('circuitBreaker', (where, raw) => resolveCircuitBreakerOptions(where, raw));
  const retry = read('retry', resolveRetryOptions);
  if (issues.length > 0) throw new PolicyConfigError(WHERE, issues);
  slot.current = { circuitBreaker, retry };
}

/** The defaults for `kind` with the options a decorator gave over them, or `undefined` with no defaults. */
function merged(kind: keyof PolicyDefaults, given: Given): Record<string, unknown> | undefined {
  const defaults = slot.current?.[kind];
  if (defaults === undefined) return undefined;
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) if (value !== undefined) options[key] = value;
  for (const [key, value] of Object.entries(given)) if (value !== undefined) options[key] = value;
  return options;
}

/**
 * A decorated method's retry options now: its own, or its own over the policy defaults.
 * @throws PolicyConfigError when the two disagree.
 * @internal
 */
export function retryOptionsNow(resolved: ResolvedRetryOptions, where: string): ResolvedRetryOptions {
  const options = merged('retry', resolved.given);
  return options === undefined ? resolved : resolveRetryOptions(`${where} (with the policy defaults)`, options);
}

/**
 * A decorated method's circuit-breaker config now: its own, or its own over the policy defaults.
 * @throws PolicyConfigError when the two disagree.
 * @internal
 */
export function breakerConfigNow(config: CircuitBreakerConfig, where: string): CircuitBreakerConfig {
  const options = merged('circuitBreaker', config.given);
  return options === undefined ? config : resolveCircuitBreakerOptions(`${where} (with the policy defaults)`, options);
}
