import type { CircuitStateChange, ResilienceEvent } from '../../index.js';
import { changeView, type ChangeView } from './views.js';

/** What the page counts per name and shows per second. @internal */
export const OUTCOMES = [
  'success',
  'failure',
  'ignored',
  'rejected',
  'retry',
  'timeout',
  'fallback',
  'bulkhead_rejected',
] as const;
/** @internal */
export type Outcome = (typeof OUTCOMES)[number];

const COUNTED: ReadonlySet<string> = new Set(OUTCOMES);
const isOutcome = (type: string): type is Outcome => COUNTED.has(type);

/** Events of one name in one batch; outcomes that did not happen are left out. @internal */
export type CountView = { readonly name: string } & Partial<Record<Outcome, number>>;

/** Everything one batch accumulated, ready to be completed with fresh views and sent. @internal */
export interface TakenBatch {
  readonly counts: CountView[];
  readonly changes: ChangeView[];
  /** Breakers whose counters or state moved: the shell sends their fresh views. */
  readonly breakers: string[];
  /** Events and state changes left out because the batch was full. */
  readonly dropped: number;
}

/** Bounds of one batch, so a burst (or a flood of per-instance breaker names) cannot grow it without limit. @internal */
export const BATCH_LIMITS = { names: 2_000, changes: 1_000 } as const;

/**
 * Accumulates events between two sends: counts per name and outcome, the state changes in order, and
 * which breakers to refresh. Pure: no clock, no I/O.
 * @internal
 */
export class EventBatch {
  private counts = new Map<string, Partial<Record<Outcome, number>>>();
  private changes: ChangeView[] = [];
  private breakers = new Set<string>();
  private dropped = 0;

  /**
   * Counts one event. State changes are not counted here (they come through {@link EventBatch.addChange}),
   * nor are event types the page does not show.
   */
  addEvent(event: ResilienceEvent): void {
    const type: string = event.type;
    if (!isOutcome(type)) return;
    let row = this.counts.get(event.name);
    if (row === undefined) {
      if (this.counts.size >= BATCH_LIMITS.names) {
        this.dropped += 1;
        return;
      }
      row = {};
      this.counts.set(event.name, row);
    }
    row[type] = (row[type] ?? 0) + 1;
    if (event.policy === 'circuitBreaker') this.breakers.add(event.name);
  }

  /** Records one state change for the timeline and marks its breaker for a refresh. */
  addChange(change: CircuitStateChange): void {
    if (this.changes.length >= BATCH_LIMITS.changes) {
      this.dropped += 1;
      return;
    }
    this.changes.push(changeView(change));
    this.breakers.add(change.name);
  }

  /** Whether nothing happened since the last {@link EventBatch.take}. */
  get empty(): boolean {
    return this.counts.size === 0 && this.changes.length === 0 && this.dropped === 0;
  }

  /** Hands over what accumulated and starts afresh. */
  take(): TakenBatch {
    const taken: TakenBatch = {
      counts: [...this.counts].map(([name, row]) => ({ name, ...row })),
      changes: this.changes,
      breakers: [...this.breakers],
      dropped: this.dropped,
    };
    this.counts = new Map();
    this.changes = [];
    this.breakers = new Set();
    this.dropped = 0;
    return taken;
  }
}
