import type { CircuitState, ResilienceEvent } from '../../lib/index.js';
import type { CallRecord, Outcome } from './load.js';

/** What the live view shows for one breaker and the policies around it. */
export interface BreakerCounters {
  readonly name: string;
  state: CircuitState;
  success: number;
  failure: number;
  ignored: number;
  rejected: number;
  fallback: number;
  retry: number;
  timeout: number;
  bulkheadRejected: number;
}

/** Fresh, stale and failed user requests of one client. */
export type OutcomeCounters = Record<Outcome, number>;

/**
 * A breaker's counters, all zero, closed.
 *
 * @param name - the breaker's name.
 * @example
 * ```ts
 * const row = emptyCounters('quotes');
 * ```
 */
export function emptyCounters(name: string): BreakerCounters {
  return {
    name,
    state: 'closed',
    success: 0,
    failure: 0,
    ignored: 0,
    rejected: 0,
    fallback: 0,
    retry: 0,
    timeout: 0,
    bulkheadRejected: 0,
  };
}

/**
 * Calls the breaker saw: admitted (whatever their outcome) plus rejected.
 *
 * @param row - the breaker's counters.
 * @example
 * ```ts
 * breakerCalls(row) / elapsedSeconds;
 * ```
 */
export function breakerCalls(row: BreakerCounters): number {
  return row.success + row.failure + row.ignored + row.rejected;
}

/**
 * Adds one event to the counters. Only the breaker publishes `success`/`failure`/`rejected`; the
 * other policies report under their own names, so the caller maps those names to a row first.
 *
 * @param row - the counters to update (mutated).
 * @param event - any event from `events$`.
 * @example
 * ```ts
 * events$.subscribe((event) => countEvent(rows.get(groupOf(event))!, event));
 * ```
 */
export function countEvent(row: BreakerCounters, event: ResilienceEvent): void {
  switch (event.type) {
    case 'success':
    case 'failure':
    case 'ignored':
    case 'rejected':
    case 'fallback':
    case 'retry':
    case 'timeout':
      row[event.type] += 1;
      break;
    case 'bulkhead_rejected':
      row.bulkheadRejected += 1;
      break;
    case 'state_change':
      row.state = event.to;
      break;
    default:
      // Not counted here: a give-up (retry_exhausted) ends a call whose outcome the breaker or the
      // fallback already counts, and the per-call outcome events for metrics (retry_outcome,
      // timeout_outcome) repeat what the rows show.
      break;
  }
}

/**
 * Adds one user request to a client's outcome counters.
 *
 * @param counters - mutated.
 * @param record - the finished request.
 * @example
 * ```ts
 * runLoad({ …, onRecord: (r) => countOutcome(protectedOutcomes, r) });
 * ```
 */
export function countOutcome(counters: OutcomeCounters, record: CallRecord): void {
  counters[record.outcome] += 1;
}

/**
 * Calls per second over the last second, from successive readings of an ever-growing total.
 * Keeps only the readings of the last second, so its memory stays bounded.
 *
 * @example
 * ```ts
 * const rate = new RateMeter();
 * rate.sample(performance.now(), breakerCalls(row)); // → calls/s
 * ```
 */
export class RateMeter {
  private readonly readings: { at: number; total: number }[] = [];

  /**
   * Records a reading and returns the rate over the last second (or since the first reading).
   *
   * @param at - monotonic ms.
   * @param total - the running total at `at`.
   */
  sample(at: number, total: number): number {
    this.readings.push({ at, total });
    while (this.readings.length > 2 && (this.readings[1]?.at ?? at) <= at - 1_000) this.readings.shift();
    const first = this.readings[0];
    if (first === undefined || at <= first.at) return 0;
    return ((total - first.total) * 1_000) / (at - first.at);
  }
}
