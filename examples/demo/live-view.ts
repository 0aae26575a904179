import type { Subscription } from 'rxjs';
import { events$, stateChanges$, type CircuitStateChange, type ResilienceEvent } from '../../lib/index.js';
import { phaseAt, type PhaseName } from './incident.js';
import type { IncidentService } from './service.js';
import type { CallRecord } from './load.js';
import {
  breakerCalls,
  countEvent,
  countOutcome,
  emptyCounters,
  RateMeter,
  type BreakerCounters,
  type OutcomeCounters,
} from './live-model.js';
import {
  renderPanel,
  renderStateChangeLine,
  renderTickLine,
  type BulkheadView,
  type PanelFrame,
} from './live-render.js';

/** Options of {@link LiveView}. */
export interface LiveViewOptions {
  readonly out: NodeJS.WritableStream;
  /** Redraw a panel in place (a terminal) rather than print lines. */
  readonly tty: boolean;
  readonly color: boolean;
  readonly service: Pick<IncidentService, 'windows' | 'elapsedMs' | 'currentPhase'>;
  /** Breaker names, one row each. */
  readonly breakers: readonly string[];
  /** The row an event belongs to: retry, timeout and fallback events carry the method's name, not the breaker's. */
  readonly rowOf: (event: ResilienceEvent) => string | undefined;
  readonly bulkhead: () => BulkheadView;
  /** Client labels, in display order. */
  readonly clients: readonly string[];
  /** What the service does in each phase. */
  readonly story: Readonly<Record<PhaseName, string>>;
}

/** A state change as the live view saw it. */
export interface LoggedStateChange {
  readonly change: CircuitStateChange;
  /** Ms since the incident started. */
  readonly elapsedMs: number;
}

const HIDE_CURSOR_NO_WRAP = '\x1b[?25l\x1b[?7l';
const SHOW_CURSOR_WRAP = '\x1b[?25h\x1b[?7h';

/**
 * The live view: subscribes to `stateChanges$` and `events$`, counts, and redraws a panel (TTY) or
 * prints a line per state change and one per second (pipe). `stop()` unsubscribes and clears its timer.
 *
 * @example
 * ```ts
 * const view = new LiveView(options);
 * view.start();
 * try { await load; } finally { view.stop(); }
 * ```
 */
export class LiveView {
  /** Every state change seen, in order: the report's timeline is drawn from it. */
  readonly stateLog: LoggedStateChange[] = [];
  private readonly rows = new Map<string, BreakerCounters>();
  private readonly outcomes = new Map<string, OutcomeCounters>();
  private readonly meters = new Map<string, RateMeter>();
  private readonly subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private drawnLines = 0;

  /**
   * @param options - where and what to draw.
   */
  constructor(private readonly options: LiveViewOptions) {
    for (const name of options.breakers) this.rows.set(name, emptyCounters(name));
    for (const label of options.clients) this.outcomes.set(label, { fresh: 0, stale: 0, error: 0 });
  }

  /** Subscribes to the streams and starts redrawing. */
  start(): void {
    this.subscriptions.push(
      stateChanges$.subscribe((change) => {
        const entry = { change, elapsedMs: this.options.service.elapsedMs() };
        this.stateLog.push(entry);
        if (!this.options.tty) {
          this.options.out.write(
            `${renderStateChangeLine(change, entry.elapsedMs, this.options.service.currentPhase().name)}\n`,
          );
        }
      }),
      events$.subscribe((event) => {
        const row = this.rows.get(this.options.rowOf(event) ?? '');
        if (row !== undefined) countEvent(row, event);
      }),
    );
    if (this.options.tty) this.options.out.write(HIDE_CURSOR_NO_WRAP);
    // Prime the rate meters at zero, so the first tick shows a rate rather than 0/s.
    this.frame();
    this.timer = setInterval(() => this.draw(), this.options.tty ? 200 : 1_000);
  }

  /**
   * Counts one finished user request of a client.
   *
   * @param label - one of `options.clients`.
   * @param record - the request.
   */
  record(label: string, record: CallRecord): void {
    const counters = this.outcomes.get(label);
    if (counters !== undefined) countOutcome(counters, record);
  }

  /** Unsubscribes, clears the timer and (on a terminal) draws the panel a last time; safe to call twice. */
  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    // The panel gets its final state; plain output already had its last per-second line (the
    // summary table follows), so a second line for the same second would only repeat it.
    if (this.options.tty) {
      this.draw();
      this.options.out.write(SHOW_CURSOR_WRAP);
    }
  }

  private frame(): PanelFrame {
    const { service } = this.options;
    const at = performance.now();
    const rate = (key: string, total: number): number => {
      let meter = this.meters.get(key);
      if (meter === undefined) this.meters.set(key, (meter = new RateMeter()));
      return meter.sample(at, total);
    };
    const windows = service.windows;
    const totalMs = windows[windows.length - 1]?.endMs ?? 0;
    return {
      // Requests still in flight after the last phase would show "20.3s / 20.0s".
      elapsedMs: Math.min(service.elapsedMs(), totalMs),
      totalMs,
      phase: service.currentPhase(),
      windows,
      breakers: [...this.rows.values()].map((counters) => ({
        counters,
        callsPerSecond: rate(`b:${counters.name}`, breakerCalls(counters)),
      })),
      bulkhead: this.options.bulkhead(),
      clients: [...this.outcomes].map(([label, outcomes]) => ({
        label,
        outcomes,
        callsPerSecond: rate(`c:${label}`, outcomes.fresh + outcomes.stale + outcomes.error),
      })),
      color: this.options.color,
      story: this.options.story,
    };
  }

  private draw(): void {
    const frame = this.frame();
    if (!this.options.tty) {
      this.options.out.write(`${renderTickLine(frame)}\n`);
      return;
    }
    const recent = this.stateLog
      .slice(-4)
      .map((e) => renderStateChangeLine(e.change, e.elapsedMs, phaseAt(frame.windows, e.elapsedMs).name));
    const lines = [
      ...renderPanel(frame),
      '',
      'latest state changes:',
      ...recent,
      ...Array<string>(4 - recent.length).fill(''),
    ];
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : '';
    this.options.out.write(`${up}${lines.map((line) => `\r\x1b[2K${line}`).join('\n')}\n`);
    this.drawnLines = lines.length;
  }
}
