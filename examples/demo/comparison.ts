import type { ClientSummary } from './stats.js';

/** One row of the with/without comparison. */
export interface ComparisonRow {
  readonly label: string;
  readonly protectedValue: string;
  readonly unprotectedValue: string;
}

const ms = (value: number | null): string => (value === null ? '–' : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
const share = (part: number, whole: number): string => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`);

/**
 * The rows of the side-by-side table, formatted; shared by the terminal and the HTML report.
 *
 * @param withBreakwater - the protected client's summary.
 * @param without - the unprotected client's summary.
 * @example
 * ```ts
 * comparisonRows(summary.protected, summary.unprotected)[0]; // { label: 'user requests', … }
 * ```
 */
export function comparisonRows(withBreakwater: ClientSummary, without: ClientSummary): ComparisonRow[] {
  const row = (label: string, pick: (s: ClientSummary) => string): ComparisonRow => ({
    label,
    protectedValue: pick(withBreakwater),
    unprotectedValue: pick(without),
  });
  const failing = (s: ClientSummary): number => s.serviceCalls.flaky + s.serviceCalls.outage + s.serviceCalls.slow;
  return [
    row('user requests', (s) => String(s.requests)),
    row('successful responses', (s) => `${s.fresh + s.stale} (${share(s.fresh + s.stale, s.requests)})`),
    row('  of which fresh', (s) => String(s.fresh)),
    row('  of which stale (fallback)', (s) => String(s.stale)),
    row('errors seen by users', (s) => `${s.errors} (${share(s.errors, s.requests)})`),
    row('latency p50', (s) => ms(s.latencyMs.p50)),
    row('latency p99', (s) => ms(s.latencyMs.p99)),
    row('calls that reached the service', (s) => String(s.serviceCalls.total)),
    row('  while it was failing', (s) => String(failing(s))),
    row('  during the full outage', (s) => String(s.serviceCalls.outage)),
  ];
}

/**
 * The comparison as a plain-text table for the terminal.
 *
 * @param rows - from {@link comparisonRows}.
 * @example
 * ```ts
 * console.log(renderComparisonTable(comparisonRows(p, u)));
 * ```
 */
export function renderComparisonTable(rows: readonly ComparisonRow[]): string {
  const headers = ['', 'with breakwater', 'without'] as const;
  const widths = [
    Math.max(headers[0].length, ...rows.map((r) => r.label.length)),
    Math.max(headers[1].length, ...rows.map((r) => r.protectedValue.length)),
    Math.max(headers[2].length, ...rows.map((r) => r.unprotectedValue.length)),
  ] as const;
  const line = (a: string, b: string, c: string): string =>
    `│ ${a.padEnd(widths[0])} │ ${b.padStart(widths[1])} │ ${c.padStart(widths[2])} │`;
  const rule = (left: string, mid: string, right: string): string =>
    `${left}${widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`;
  return [
    rule('┌', '┬', '┐'),
    line(...headers),
    rule('├', '┼', '┤'),
    ...rows.map((r) => line(r.label, r.protectedValue, r.unprotectedValue)),
    rule('└', '┴', '┘'),
  ].join('\n');
}
