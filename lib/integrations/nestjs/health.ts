import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { getCircuitBreaker, listCircuitBreakers, PolicyConfigError, type CircuitState } from '../../index.js';

/**
 * Options of {@link BreakwaterHealthIndicator.check}.
 *
 * @category NestJS
 */
export interface BreakwaterHealthCheckOptions {
  /**
   * Names of the breakers whose dependency the service cannot work without: the check is `down`
   * while any of them is open or forced open (half-open is `up`: the service is finding out whether
   * the dependency is back). A name no breaker has is `down` too, so a typo cannot pass for health;
   * name the breakers you list here (a default-named one exists only from its method's first call).
   * @defaultValue `[]`: the check reports every breaker's state and is always `up`
   */
  readonly critical?: readonly string[];
}

/**
 * What {@link BreakwaterHealthIndicator.check} reports beside its status.
 *
 * @category NestJS
 */
export interface BreakwaterHealthData {
  /** Every breaker's state, by name. */
  readonly breakers: Record<string, CircuitState>;
  /** The critical breakers that make it `down` (open, forced open, or not registered). */
  readonly failing: string[];
  /** Room for terminus's own fields. */
  readonly [extra: string]: unknown;
}

const DOWN: ReadonlySet<CircuitState> = new Set<CircuitState>(['open', 'forced_open']);

/**
 * A `@nestjs/terminus` health indicator over breakwater's circuit breakers, built on terminus's
 * `HealthIndicatorService` (provide `TerminusModule` where you use it).
 *
 * @example
 * ```ts
 * import { Controller, Get } from '@nestjs/common';
 * import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
 * import { BreakwaterHealthIndicator } from 'breakwater/nestjs';
 *
 * @Controller('health')
 * export class HealthController {
 *   constructor(
 *     private readonly health: HealthCheckService,
 *     private readonly breakers: BreakwaterHealthIndicator,
 *   ) {}
 *
 *   @Get()
 *   @HealthCheck()
 *   check() {
 *     return this.health.check([() => this.breakers.check('breakers', { critical: ['payments'] })]);
 *   }
 * }
 * ```
 * @category NestJS
 */
export class BreakwaterHealthIndicator {
  /** @internal */
  constructor(private readonly indicators: HealthIndicatorService) {}

  /**
   * Reports every breaker's state under `key`; `down` while a critical breaker is open.
   *
   * @param key - the key of the result (`{ [key]: { status, breakers, failing } }`).
   * @param options - which breakers are critical.
   * @throws PolicyConfigError for a `critical` that is not an array of strings.
   */
  check<const Key extends string>(
    key: Key,
    options: BreakwaterHealthCheckOptions = {},
  ): HealthIndicatorResult<Key, 'up' | 'down', BreakwaterHealthData> {
    const given: unknown = options.critical ?? [];
    if (!Array.isArray(given) || given.some((name) => typeof name !== 'string')) {
      throw new PolicyConfigError('BreakwaterHealthIndicator.check()', [
        { field: 'critical', value: given, expected: 'an array of breaker names' },
      ]);
    }
    const critical = given as readonly string[];
    const breakers: Record<string, CircuitState> = {};
    for (const handle of listCircuitBreakers()) breakers[handle.name] = handle.snapshot().state;
    const failing = critical.filter((name) => {
      const handle = getCircuitBreaker(name);
      return handle === undefined || DOWN.has(handle.snapshot().state);
    });
    const session = this.indicators.check(key);
    const data: BreakwaterHealthData = { breakers, failing };
    return failing.length > 0 ? session.down(data) : session.up(data);
  }
}
// Applied as calls, not written as decorators, so that this file compiles in every decorator mode.
Inject(HealthIndicatorService)(BreakwaterHealthIndicator, undefined, 0);
Injectable()(BreakwaterHealthIndicator);
