import { Injectable } from '@nestjs/common';
import {
  events$,
  getBulkhead,
  getCircuitBreaker,
  listBulkheads,
  listCircuitBreakers,
  PolicyConfigError,
  stateChanges$,
  type BulkheadHandle,
  type CircuitBreakerHandle,
  type CircuitStateChange,
  type ResilienceEvent,
} from '../../index.js';
import type { Observable } from 'rxjs';

/**
 * breakwater's breakers (and bulkheads) as a Nest provider: inject it into an admin controller, a
 * cron job or a health check to list them, read their state, force one open or reset it, and to
 * subscribe to the event streams. It reads breakwater's one process-wide registry, so it sees every
 * breaker: decorated methods' (a default-named one from its method's first call on), functional
 * `circuitBreaker({ name })` ones, and those of other modules.
 *
 * @example
 * ```ts
 * import { Controller, Param, Post } from '@nestjs/common';
 * import { BreakwaterRegistry } from 'breakwater/nestjs';
 *
 * @Controller('admin/breakers')
 * export class BreakersController {
 *   constructor(private readonly breakers: BreakwaterRegistry) {}
 *
 *   @Post(':name/reset')
 *   reset(@Param('name') name: string) {
 *     this.breakers.reset(name);
 *     return this.breakers.get(name)?.snapshot();
 *   }
 * }
 * ```
 * @category NestJS
 */
export class BreakwaterRegistry {
  /** Every breaker's state change, as `stateChanges$` from `breakwater`. */
  readonly stateChanges$: Observable<CircuitStateChange> = stateChanges$;
  /** Every policy's events, as `events$` from `breakwater`. */
  readonly events$: Observable<ResilienceEvent> = events$;

  /** Every registered circuit breaker's handle, by name. */
  list(): CircuitBreakerHandle[] {
    return listCircuitBreakers();
  }

  /**
   * The breaker registered under `name`, or `undefined`.
   *
   * @param name - e.g. `'payments'`, or `'PaymentsClient.charge'` for a default-named decorated one.
   */
  get(name: string): CircuitBreakerHandle | undefined {
    return getCircuitBreaker(name);
  }

  /** Every named or method-owned bulkhead's handle. */
  bulkheads(): BulkheadHandle[] {
    return listBulkheads();
  }

  /**
   * The bulkhead registered under `name`, or `undefined`.
   *
   * @param name - its name, or `Class.method` for an unnamed decorated one.
   */
  bulkhead(name: string): BulkheadHandle | undefined {
    return getBulkhead(name);
  }

  /**
   * Forces the named breaker open (every call rejected until `reset`).
   *
   * @throws PolicyConfigError when no breaker has that name: an admin action on a typo must not pass silently.
   */
  forceOpen(name: string): void {
    this.require(name).forceOpen();
  }

  /**
   * Closes the named breaker and clears its counters.
   *
   * @throws PolicyConfigError when no breaker has that name.
   */
  reset(name: string): void {
    this.require(name).reset();
  }

  private require(name: string): CircuitBreakerHandle {
    const handle = getCircuitBreaker(name);
    if (handle !== undefined) return handle;
    const known = listCircuitBreakers().map((b) => JSON.stringify(b.name));
    throw new PolicyConfigError('BreakwaterRegistry', [
      {
        field: 'name',
        value: name,
        expected: `the name of a registered breaker (${known.length > 0 ? known.join(', ') : 'none yet'})`,
      },
    ]);
  }
}
// Applied as a call, not written as `@Injectable()`, so that this file compiles in every decorator mode.
Injectable()(BreakwaterRegistry);
