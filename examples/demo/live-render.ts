import type { CircuitStateChange } from '../../lib/index.js';
import { phaseAt, type PhaseName, type PhaseWindow } from './incident.js';
import { breakerCalls, type BreakerCounters, type OutcomeCounters } from './live-model.js';
import type { DemoSettings } from './scale.js';

/** Everything one redraw of the live view shows. */
export interface PanelFrame {
  readonly elapsedMs: number;
  readonly totalMs: number;
  readonly phase: PhaseWindow;
  readonly windows: readonly PhaseWindow[];
  readonly breakers: readonly { readonly counters: BreakerCounters; readonly callsPerSecond: number }[];
  readonly bulkhead: BulkheadView;
  readonly clients: readonly {
    readonly label: string;
    readonly outcomes: OutcomeCounters;
    readonly callsPerSecond: number;
  }[];
  /** Use ANSI colours. */
  readonly color: boolean;
  /** What the service does in each phase, from {@link phaseStory}. */
  readonly story: Readonly<Record<PhaseName, string>>;
}

/** The bulkhead's occupancy and limits. */
export interface BulkheadView {
  readonly name: string;
  readonly active: number;
  readonly maxConcurrent: number;
  readonly queued: number;
  readonly maxQueue: number;
}

/**
 * One line per phase telling the viewer what the service is doing.
 *
 * @param settings - the run's timeout and the service's slow latencies.
 * @example
 * ```ts
 * phaseStory(demoSettings(incidentOfDuration(20_000), 10)).slow; // 'slow: answers take 1.2–1.8 s, …'
 * ```
 */
export function phaseStory(settings: Pick<DemoSettings, 'timeoutMs' | 'tuning'>): Record<PhaseName, string> {
  const [from, to] = settings.tuning.slowMs;
  const s = (ms: number): string => `${+(ms / 1_000).toFixed(2)}`;
  return {
    healthy: 'healthy: answers in a few ms',
    flaky: 'flaky: half of the requests fail with 503',
    outage: 'full outage: every request fails with 503',
    slow: `slow: answers take ${s(from)}–${s(to)} s, longer than the ${settings.timeoutMs} ms timeout`,
    recovered: 'recovered: healthy again',
  };
}

const PHASE_COLOR: Record<PhaseName, number> = { healthy: 32, flaky: 33, outage: 31, slow: 35, recovered: 36 };
const STATE_COLOR: Record<string, number> = { closed: 32, open: 31, half_open: 33, forced_open: 31, disabled: 90 };

function paint(text: string, code: number | undefined, color: boolean): string {
  return color && code !== undefined ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function seconds(ms: number): string {
  return `${(ms / 1_000).toFixed(1).padStart(5)}s`;
}

function progressBar(frame: PanelFrame, width: number): string {
  let bar = '';
  for (let i = 0; i < width; i += 1) {
    const cellMs = ((i + 0.5) / width) * frame.totalMs;
    const phase = phaseAt(frame.windows, cellMs);
    const glyph = cellMs <= frame.elapsedMs ? '█' : '░';
    bar += paint(glyph, PHASE_COLOR[phase.name], frame.color);
  }
  return bar;
}

const num = (value: number, width: number): string => String(Math.round(value)).padStart(width);

/**
 * The TTY panel, one string per line, without trailing newlines.
 *
 * @param frame - the state to show.
 * @example
 * ```ts
 * process.stdout.write(renderPanel(frame).join('\n'));
 * ```
 */
export function renderPanel(frame: PanelFrame): string[] {
  const phaseText = paint(frame.story[frame.phase.name], PHASE_COLOR[frame.phase.name], frame.color);
  const legend = frame.windows.map((w) => paint(`■ ${w.name}`, PHASE_COLOR[w.name], frame.color)).join('  ');
  const elapsed = `${seconds(frame.elapsedMs)} / ${seconds(frame.totalMs).trim()}`;
  const lines = [
    `breakwater demo ${elapsed}  ${progressBar(frame, 40)}`,
    `phase ${frame.phase.index + 1}/${frame.windows.length}  ${phaseText}`,
    `                        ${legend}`,
    '',
    'breaker   state       calls/s success failure rejected fallback retry timeout',
  ];
  for (const { counters: c, callsPerSecond } of frame.breakers) {
    const state = paint(c.state.toUpperCase().padEnd(11), STATE_COLOR[c.state], frame.color);
    const counts = [c.success, c.failure, c.rejected, c.fallback, c.retry, c.timeout];
    const widths = [7, 7, 8, 8, 5, 7];
    lines.push(
      `${c.name.padEnd(9)} ${state} ${num(callsPerSecond, 7)} ${counts.map((n, i) => num(n, widths[i] ?? 7)).join(' ')}`,
    );
  }
  const rejectedByBulkhead = frame.breakers.reduce((sum, b) => sum + b.counters.bulkheadRejected, 0);
  const { bulkhead } = frame;
  lines.push(
    `bulkhead ${bulkhead.name}: active ${bulkhead.active}/${bulkhead.maxConcurrent}  ` +
      `queued ${bulkhead.queued}/${bulkhead.maxQueue}  rejected when full ${rejectedByBulkhead}`,
    '',
    'users of    calls/s   fresh   stale  errors',
  );
  for (const client of frame.clients) {
    const { fresh, stale, error } = client.outcomes;
    lines.push(
      `${client.label.padEnd(11)} ${num(client.callsPerSecond, 7)} ${[fresh, stale, error].map((n) => num(n, 7)).join(' ')}`,
    );
  }
  return lines;
}

/**
 * The once-a-second line printed when stdout is not a terminal.
 *
 * @param frame - the state to show (colour is ignored).
 * @example
 * ```ts
 * console.log(renderTickLine(frame)); // "[  3.0s] flaky | quotes closed 41/s …"
 * ```
 */
export function renderTickLine(frame: PanelFrame): string {
  const breakers = frame.breakers.map(
    ({ counters: c, callsPerSecond }) =>
      `${c.name} ${c.state} ${Math.round(callsPerSecond)}/s calls=${breakerCalls(c)} ok=${c.success} fail=${c.failure} ` +
      `rejected=${c.rejected} fallback=${c.fallback} retry=${c.retry} timeout=${c.timeout} ` +
      `bulkhead active=${frame.bulkhead.active} queued=${frame.bulkhead.queued}`,
  );
  const clients = frame.clients.map(
    (c) =>
      `${c.label} ${Math.round(c.callsPerSecond)}/s fresh=${c.outcomes.fresh} stale=${c.outcomes.stale} errors=${c.outcomes.error}`,
  );
  return `[${seconds(frame.elapsedMs)}] ${frame.phase.name.padEnd(9)} | ${[...breakers, ...clients].join(' | ')}`;
}

/**
 * The line printed for each circuit state change when stdout is not a terminal.
 *
 * @param change - from `stateChanges$`.
 * @param elapsedMs - ms since the run started.
 * @param phase - the incident phase at that moment.
 * @example
 * ```ts
 * renderStateChangeLine(change, 8_123, 'outage'); // "[  8.1s] quotes: closed → open (failure_rate) during outage"
 * ```
 */
export function renderStateChangeLine(change: CircuitStateChange, elapsedMs: number, phase: PhaseName): string {
  return `[${seconds(elapsedMs)}] ${change.name}: ${change.from} → ${change.to} (${change.reason}) during ${phase}`;
}
