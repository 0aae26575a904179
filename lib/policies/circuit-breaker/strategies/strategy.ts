/** Why a closed circuit opens. @internal */
export type OpenReason = 'failure_threshold' | 'failure_rate' | 'slow_call_rate';

/**
 * One rule of the closed state: it sees every counted outcome and says when the circuit must open.
 * @internal
 */
export interface BreakerStrategy {
  /**
   * Records one outcome (a failure or a success, slow or not) at monotonic time `now`.
   * @returns why the circuit must open now, or `undefined`.
   */
  record(failure: boolean, slow: boolean, now: number): OpenReason | undefined;
  /** Forgets everything: the circuit (re)entered the closed state. */
  reset(): void;
}
