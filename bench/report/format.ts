import type { Summary } from '../harness/stats.js';
import type { Unit } from '../scenarios/scenario.js';

const LABELS: Readonly<Record<string, string>> = {
  baseline: '`await fn()`',
  hand: 'hand-written',
  'hand-als': 'hand-written + one AsyncLocalStorage entry',
  cockatiel: 'cockatiel',
  opossum: 'opossum',
  'bw-decorator': 'breakwater @decorators',
  'bw-functional': 'breakwater functional',
  plain: 'no breakwater call',
  breaker: 'after a @CircuitBreaker call',
  timeout: 'after a @Timeout call',
  'closed-off': 'closed breaker, no exporter',
  'closed-events': 'closed breaker, no-op events$ subscriber',
  'closed-prometheus': 'closed breaker, Prometheus on',
  'closed-otel': 'closed breaker, OpenTelemetry on',
  'stack-off': 'five-policy stack, no exporter',
  'stack-events': 'five-policy stack, no-op events$ subscriber',
  'stack-prometheus': 'five-policy stack, Prometheus on',
  'stack-otel': 'five-policy stack, OpenTelemetry on',
};

/** The display name of a row id. */
export function label(id: string): string {
  return LABELS[id] ?? id;
}

function digits(value: number): string {
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A value in its unit, scaled to something readable: 36 ns, 4.1 µs, 55.5 ms, 1.2 kB. */
export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '–';
  if (unit === 'ns') {
    const abs = Math.abs(value);
    if (abs >= 1e6) return `${digits(value / 1e6)} ms`;
    if (abs >= 1e3) return `${digits(value / 1e3)} µs`;
    return `${value.toFixed(0)} ns`;
  }
  if (unit === 'bytes') return Math.abs(value) >= 10_000 ? `${digits(value / 1024)} KiB` : `${value.toFixed(0)} B`;
  return `${digits(value)} ms`;
}

/** "715 ns ±3%": the median and half the interquartile range. */
export function formatSummary(summary: Summary, unit: Unit): string {
  const spread = Number.isFinite(summary.spread) ? ` ±${Math.round(summary.spread * 100)}%` : '';
  return `${formatValue(summary.median, unit)}${spread}`;
}
