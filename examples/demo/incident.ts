import { between, type Random } from './random.js';

/** The phases of the scripted incident, in the order they are played. */
export const PHASE_NAMES = ['healthy', 'flaky', 'outage', 'slow', 'recovered'] as const;
/** One of {@link PHASE_NAMES}. */
export type PhaseName = (typeof PHASE_NAMES)[number];

/** One phase of the incident and how long it lasts. */
export interface Phase {
  readonly name: PhaseName;
  readonly durationMs: number;
}

/** A phase placed on the incident's timeline (ms since the incident started). */
export interface PhaseWindow {
  readonly name: PhaseName;
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** Share of the total duration given to each phase by {@link incidentOfDuration}. */
export const DEFAULT_PHASE_SHARES: Readonly<Record<PhaseName, number>> = {
  healthy: 0.2,
  flaky: 0.2,
  outage: 0.25,
  slow: 0.15,
  recovered: 0.2,
};

/** How the service behaves; `slowMs` must exceed the protected client's timeout to make the point. */
export interface ServiceTuning {
  /** Latency range of a normal answer. */
  readonly fastMs: readonly [number, number];
  /** Latency range during the slow phase. */
  readonly slowMs: readonly [number, number];
  /** Probability of an error during the flaky phase. */
  readonly flakyErrorRate: number;
}

/**
 * The default service behaviour.
 * @defaultValue fast 2–15 ms, slow 1200–1800 ms, 50 % errors when flaky.
 */
export const DEFAULT_TUNING: ServiceTuning = { fastMs: [2, 15], slowMs: [1_200, 1_800], flakyErrorRate: 0.5 };

/**
 * Splits a total duration over the five phases by {@link DEFAULT_PHASE_SHARES}.
 *
 * @param totalMs - the whole incident, ms (a positive finite number).
 * @throws RangeError if `totalMs` is not a positive finite number.
 * @example
 * ```ts
 * incidentOfDuration(20_000); // healthy 4 s, flaky 4 s, outage 5 s, slow 3 s, recovered 4 s
 * ```
 */
export function incidentOfDuration(totalMs: number): Phase[] {
  if (!Number.isFinite(totalMs) || totalMs <= 0) {
    throw new RangeError(`totalMs must be a positive finite number of milliseconds, got ${totalMs}`);
  }
  let used = 0;
  return PHASE_NAMES.map((name, index) => {
    // The last phase takes the rounding remainder so the phases always add up to the total.
    const durationMs =
      index === PHASE_NAMES.length - 1 ? totalMs - used : Math.round(totalMs * DEFAULT_PHASE_SHARES[name]);
    used += durationMs;
    return { name, durationMs };
  });
}

/**
 * Places each phase on the timeline.
 *
 * @param phases - the incident, in play order.
 * @example
 * ```ts
 * phaseWindows(incidentOfDuration(10_000))[2]; // { name: 'outage', index: 2, startMs: 4000, endMs: 6500 }
 * ```
 */
export function phaseWindows(phases: readonly Phase[]): PhaseWindow[] {
  let startMs = 0;
  return phases.map((phase, index) => {
    const window = { name: phase.name, index, startMs, endMs: startMs + phase.durationMs };
    startMs = window.endMs;
    return window;
  });
}

/**
 * The phase playing at `elapsedMs`; before the start that is the first phase, after the end the last.
 *
 * @param windows - from {@link phaseWindows}; must not be empty.
 * @param elapsedMs - ms since the incident started.
 * @throws RangeError if `windows` is empty.
 * @example
 * ```ts
 * phaseAt(phaseWindows(incidentOfDuration(10_000)), 5_000).name; // 'outage'
 * ```
 */
export function phaseAt(windows: readonly PhaseWindow[], elapsedMs: number): PhaseWindow {
  const last = windows[windows.length - 1];
  if (last === undefined) throw new RangeError('windows must hold at least one phase');
  return windows.find((w) => elapsedMs < w.endMs) ?? last;
}

/** What the service answers to one request. */
export interface ScriptedResponse {
  readonly status: 200 | 503;
  readonly delayMs: number;
}

/**
 * Decides the answer to one request in a given phase. Pure: all randomness comes from `random`.
 *
 * @param phase - the phase playing when the request arrived.
 * @param random - the requesting client's seeded generator.
 * @param tuning - latencies and error rate.
 * @example
 * ```ts
 * scriptedResponse('outage', seededRandom(1)); // { status: 503, delayMs: … }
 * ```
 */
export function scriptedResponse(
  phase: PhaseName,
  random: Random,
  tuning: ServiceTuning = DEFAULT_TUNING,
): ScriptedResponse {
  const fast = (): number => Math.round(between(random, tuning.fastMs[0], tuning.fastMs[1]));
  switch (phase) {
    case 'healthy':
    case 'recovered':
      return { status: 200, delayMs: fast() };
    case 'flaky':
      return { status: random() < tuning.flakyErrorRate ? 503 : 200, delayMs: fast() };
    case 'outage':
      return { status: 503, delayMs: fast() };
    case 'slow':
      return { status: 200, delayMs: Math.round(between(random, tuning.slowMs[0], tuning.slowMs[1])) };
  }
}
