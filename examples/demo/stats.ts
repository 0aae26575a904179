import { PHASE_NAMES, type PhaseName, type PhaseWindow } from './incident.js';
import type { CallRecord, Outcome } from './load.js';

/**
 * The p-th percentile by the nearest-rank method, or `null` for no values.
 *
 * @param values - any order; not modified.
 * @param p - in (0, 100].
 * @throws RangeError if `p` is outside (0, 100].
 * @example
 * ```ts
 * percentile([5, 1, 3], 50); // 3
 * ```
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`p must be in (0, 100], got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? null;
}

const roundTenth = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);

/** What one client's users experienced, and what it cost the service. */
export interface ClientSummary {
  readonly requests: number;
  /** Fresh answers. */
  readonly fresh: number;
  /** Answers served from the stale cache by the fallback. */
  readonly stale: number;
  /** Requests that ended in an error for the user. */
  readonly errors: number;
  /** Errors by error name. */
  readonly errorKinds: Readonly<Record<string, number>>;
  /** Percentiles of the latency users saw, rounded to 0.1 ms. */
  readonly latencyMs: { readonly p50: number | null; readonly p99: number | null };
  /** Requests that reached the service, per phase and in total. */
  readonly serviceCalls: Readonly<Record<PhaseName, number>> & { readonly total: number };
}

/**
 * Summarises one client's run.
 *
 * @param records - every user request of that client.
 * @param serviceCalls - requests the service received from that client, per phase.
 * @example
 * ```ts
 * summarize(records, service.callCounts()['protected'] ?? {});
 * ```
 */
export function summarize(
  records: readonly CallRecord[],
  serviceCalls: Partial<Record<PhaseName, number>>,
): ClientSummary {
  const errorKinds: Record<string, number> = {};
  let fresh = 0;
  let stale = 0;
  for (const record of records) {
    if (record.outcome === 'fresh') fresh += 1;
    else if (record.outcome === 'stale') stale += 1;
    else errorKinds[record.error ?? 'Error'] = (errorKinds[record.error ?? 'Error'] ?? 0) + 1;
  }
  const latencies = records.map((r) => r.latencyMs);
  const perPhase = Object.fromEntries(PHASE_NAMES.map((name) => [name, serviceCalls[name] ?? 0])) as Record<
    PhaseName,
    number
  >;
  return {
    requests: records.length,
    fresh,
    stale,
    errors: records.length - fresh - stale,
    errorKinds,
    latencyMs: { p50: roundTenth(percentile(latencies, 50)), p99: roundTenth(percentile(latencies, 99)) },
    serviceCalls: { ...perPhase, total: PHASE_NAMES.reduce((sum, name) => sum + perPhase[name], 0) },
  };
}

/**
 * Errors that reached a user although the fallback had an answer for them: a fresh quote for the same
 * item had reached a user before the failing request even started, so `staleResult()` held it (its
 * TTL outlasts the run). Errors for items never answered before are not counted: no fallback could
 * answer those. A request that fails while another for its item is still in flight is not counted
 * either, since which of the two reached the store first is not observable from here.
 *
 * @param records - one client's requests, any order.
 * @example
 * ```ts
 * errorsTheFallbackCouldAnswer(result.records.protected); // 0 when the fallback did its job
 * ```
 */
export function errorsTheFallbackCouldAnswer(records: readonly CallRecord[]): number {
  const firstAnswered = new Map<number, number>();
  for (const r of records) {
    if (r.outcome !== 'fresh') continue;
    const end = r.startMs + r.latencyMs;
    if (end < (firstAnswered.get(r.item) ?? Number.POSITIVE_INFINITY)) firstAnswered.set(r.item, end);
  }
  return records.filter(
    (r) => r.outcome === 'error' && (firstAnswered.get(r.item) ?? Number.POSITIVE_INFINITY) < r.startMs,
  ).length;
}

/** Requests started in one second of the run, by outcome. */
export interface SecondBucket {
  readonly second: number;
  readonly fresh: number;
  readonly stale: number;
  readonly error: number;
}

/**
 * Counts requests per second of start time, for the report's chart.
 *
 * @param records - requests, any order.
 * @param durationMs - the run's length; later requests land in the last bucket.
 * @example
 * ```ts
 * perSecond([{ startMs: 1500, latencyMs: 3, outcome: 'fresh' }], 2_000); // second 1 holds it
 * ```
 */
export function perSecond(records: readonly CallRecord[], durationMs: number): SecondBucket[] {
  const count = Math.max(1, Math.ceil(durationMs / 1_000));
  const buckets: (Record<Outcome, number> & { second: number })[] = Array.from({ length: count }, (_, second) => ({
    second,
    fresh: 0,
    stale: 0,
    error: 0,
  }));
  for (const record of records) {
    const bucket = buckets[Math.min(count - 1, Math.max(0, Math.floor(record.startMs / 1_000)))];
    if (bucket !== undefined) bucket[record.outcome] += 1;
  }
  return buckets;
}

/** A stretch of time in one circuit state (ms since the run started). */
export interface StateSegment {
  readonly state: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Turns a breaker's ordered state changes into contiguous segments covering [0, endMs].
 *
 * @param changes - `{ atMs, to }`, in order, `atMs` relative to the run start.
 * @param endMs - the end of the run.
 * @param initial - the state before the first change. @defaultValue `'closed'`
 * @example
 * ```ts
 * stateSegments([{ atMs: 4_000, to: 'open' }], 10_000); // closed 0–4000, open 4000–10000
 * ```
 */
export function stateSegments(
  changes: readonly { readonly atMs: number; readonly to: string }[],
  endMs: number,
  initial = 'closed',
): StateSegment[] {
  const segments: StateSegment[] = [];
  let state = initial;
  let startMs = 0;
  for (const change of changes) {
    const atMs = Math.min(endMs, Math.max(startMs, change.atMs));
    if (atMs > startMs) segments.push({ state, startMs, endMs: atMs });
    state = change.to;
    startMs = atMs;
  }
  if (endMs > startMs || segments.length === 0) segments.push({ state, startMs, endMs: Math.max(endMs, startMs) });
  return segments;
}

/**
 * The length of the whole incident, ms.
 *
 * @param windows - phases on the timeline.
 * @example
 * ```ts
 * totalDuration(phaseWindows(incidentOfDuration(20_000))); // 20000
 * ```
 */
export function totalDuration(windows: readonly PhaseWindow[]): number {
  return windows[windows.length - 1]?.endMs ?? 0;
}
