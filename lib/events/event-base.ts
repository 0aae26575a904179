import type { PolicyKind } from '../shared/policy-kind.js';

/**
 * Fields every {@link ResilienceEvent} carries.
 * @category Events
 */
export interface ResilienceEventBase {
  /** Wall-clock time, epoch ms. */
  readonly at: number;
  /** The kind of policy that emitted it. */
  readonly policy: PolicyKind;
  /** The policy's own name (breaker, bulkhead), else the decorated `Class.method`, else its kind. */
  readonly name: string;
}
