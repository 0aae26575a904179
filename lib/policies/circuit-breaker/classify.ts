import { BulkheadFullError } from '../../errors/bulkhead-full-error.js';
import { CircuitOpenError } from '../../errors/circuit-open-error.js';
import { brandOf } from '../../errors/resilience-error.js';
import type { Outcome } from './state-machine.js';

/**
 * What an error means for the breaker. A caller's abort and a bulkhead's refusal say nothing about
 * the dependency: always ignored, whatever the predicate. Without a predicate, every error counts
 * but a nested circuit's rejection; a predicate that throws counts the error as the failure it
 * probably is (its bug must not hide the call's own error).
 *
 * @param error - the call's error.
 * @param aborted - the caller aborted the call.
 * @param predicate - the breaker's `failurePredicate`, if any.
 * @internal
 */
export function classifyError(
  error: unknown,
  aborted: boolean,
  predicate: ((error: unknown) => boolean) | undefined,
): Outcome {
  // One read of the brand for both checks: it is a lookup that misses on most errors.
  const code = brandOf(error);
  if (aborted || code === BulkheadFullError.CODE) return 'ignored';
  if (predicate === undefined) return code === CircuitOpenError.CODE ? 'ignored' : 'failure';
  try {
    return predicate(error) ? 'failure' : 'ignored';
  } catch {
    return 'failure';
  }
}
