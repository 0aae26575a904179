import { BulkheadFullError, bulkheadOrigin } from '../../errors/bulkhead-full-error.js';
import { CircuitOpenError } from '../../errors/circuit-open-error.js';
import { brandOf } from '../../errors/resilience-error.js';
import type { Outcome } from './state-machine.js';

/**
 * What an error means for the breaker. A caller's abort and the refusal of the breaker's own
 * bulkhead (`ownBulkhead`, the one in its chain) say nothing about the dependency: always ignored,
 * whatever the predicate. Any other error — a dependency's `BulkheadFullError` included — goes to
 * the predicate; without one, every error counts but a nested circuit's rejection. A predicate that
 * throws counts the error as the failure it probably is (its bug must not hide the call's own
 * error). Never throws, whatever `error` is (a revoked Proxy, a throwing getter).
 *
 * @param error - the call's error.
 * @param aborted - the caller aborted the call.
 * @param predicate - the breaker's `failurePredicate`, if any.
 * @param ownBulkhead - the bulkhead inside the breaker in this call's chain, if any.
 * @internal
 */
export function classifyError(
  error: unknown,
  aborted: boolean,
  predicate: ((error: unknown) => boolean) | undefined,
  ownBulkhead: object | undefined,
): Outcome {
  if (aborted) return 'ignored';
  // One read of the brand for both checks: it is a lookup that misses on most errors.
  const code = brandOf(error);
  if (code === BulkheadFullError.CODE && ownBulkhead !== undefined && bulkheadOrigin(error) === ownBulkhead) {
    return 'ignored';
  }
  if (predicate === undefined) return code === CircuitOpenError.CODE ? 'ignored' : 'failure';
  try {
    return predicate(error) ? 'failure' : 'ignored';
  } catch {
    return 'failure';
  }
}
