import type { Phase, PhaseName, ServiceTuning } from './incident.js';
import { DEFAULT_TUNING } from './incident.js';
import { QUOTE_TIMEOUT_MS } from './settings.js';

/**
 * The protected client's limits and the service's slowness, fitted to one run's phases and users.
 * The defaults (20 s, 10 users) give the values the demo always had; shorter phases get a shorter
 * timeout and reset timeout, more users a larger bulkhead, and a healthy phase too short to see every
 * catalogue item a smaller catalogue, so that the story holds at every size: the breaker opens in
 * the outage, closes in the recovered phase, and the fallback has an answer for what users ask.
 */
export interface DemoSettings {
  /** Per-attempt timeout of the protected client, ms. */
  readonly timeoutMs: number;
  /** Reset timeout of the first opening; it doubles on each re-opening up to `resetCapMs`. */
  readonly resetBaseMs: number;
  readonly resetCapMs: number;
  /** The breaker's count window and the calls it needs before judging a rate. */
  readonly windowSize: number;
  readonly minimumCalls: number;
  readonly bulkhead: { readonly maxConcurrent: number; readonly maxQueue: number };
  /** A user's think time between two requests, ms (uniform): longer with many users, see {@link THINK_MS}. */
  readonly thinkMs: readonly [number, number];
  /** Items users ask for, 1..catalogSize. */
  readonly catalogSize: number;
  /** How long `staleResult()` may serve a quote: longer than the run, so none expires in it. */
  readonly staleTtlMs: number;
  /** What the service does; its slow answers take longer than `timeoutMs`. */
  readonly tuning: ServiceTuning;
}

/** A user's think time between two requests, ms (uniform), up to {@link PACED_USERS} users. */
export const THINK_MS: readonly [number, number] = [50, 150];
/**
 * Beyond this many users per client, users think proportionally longer, so that both clients together
 * send at most about 400 requests a second: the demo, its service and both clients share one Node
 * process, and a saturated process would time out healthy calls and tell a story about itself.
 */
export const PACED_USERS = 20;

// How long one user's request-think cycle takes at THINK_MS, conservatively: a fast answer, or a
// failing call with its retry. The estimates only decide sizes and what to refuse; nothing asserts them.
const CYCLE_OK_MS = 120;
const CYCLE_FAILING_MS = 150;
// After the slow phase the circuit may have just re-opened: closing takes the reset timeout, then two
// probes, each waiting for a user's next request.
const CLOSE_MARGIN_MS = 2 * (THINK_MS[1] + 150);
// Healthy answers must never time out, even while the process warms up under load.
const MIN_TIMEOUT_MS = 300;
const MIN_RESET_MS = 100;
// Failing calls the outage must bring for the breaker to see its failure rate reach 50 %.
const MIN_OUTAGE_CALLS = 8;

const seconds = (ms: number): string => `${+(ms / 1_000).toFixed(2)} s`;

/** Why a run of these phases and users could not tell the story; the message says what to change. */
export class UnfitIncidentError extends Error {
  override readonly name = 'UnfitIncidentError';
}

/**
 * Fits the client and the service to the phases and the number of users.
 *
 * @param phases - the five phases, in play order.
 * @param users - simulated users per client.
 * @throws UnfitIncidentError when a phase is too short for the story at this size, naming the phase,
 * its length, what it needs, and a `--duration` or `--users` that would do.
 * @example
 * ```ts
 * demoSettings(incidentOfDuration(20_000), 10).timeoutMs; // 500
 * ```
 */
export function demoSettings(phases: readonly Phase[], users: number): DemoSettings {
  const length = (name: PhaseName): number => phases.find((p) => p.name === name)?.durationMs ?? 0;
  const total = phases.reduce((sum, p) => sum + p.durationMs, 0);
  const problems: string[] = [];
  // With the default shares, the duration at which `name` would reach `neededMs`.
  const byDuration = (name: PhaseName, neededMs: number): string =>
    `${seconds((neededMs * total) / Math.max(1, length(name)))}`;

  const slow = length('slow');
  if (slow < 2 * MIN_TIMEOUT_MS) {
    problems.push(
      `the slow phase (${seconds(slow)}) must last at least ${seconds(2 * MIN_TIMEOUT_MS)} to show calls timing out ` +
        `(e.g. --duration ${byDuration('slow', 2 * MIN_TIMEOUT_MS)})`,
    );
  }
  const timeoutMs = Math.min(QUOTE_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, Math.round(slow / 3)));

  const recovered = length('recovered');
  const resetCapMs = Math.min(2_000, recovered - timeoutMs - CLOSE_MARGIN_MS);
  if (resetCapMs < MIN_RESET_MS) {
    const needed = timeoutMs + CLOSE_MARGIN_MS + MIN_RESET_MS;
    problems.push(
      `the recovered phase (${seconds(recovered)}) must last at least ${seconds(needed)} for the breaker to close ` +
        `again before the end (e.g. --duration ${byDuration('recovered', needed)})`,
    );
  }

  const pace = Math.max(1, users / PACED_USERS);
  const outage = length('outage');
  const outageCalls = Math.floor((users * outage) / (CYCLE_FAILING_MS * pace));
  if (outageCalls < MIN_OUTAGE_CALLS) {
    const neededMs = (MIN_OUTAGE_CALLS * CYCLE_FAILING_MS) / users;
    problems.push(
      `the outage (${seconds(outage)}) gives ${users} user${users === 1 ? '' : 's'} about ${outageCalls} calls, ` +
        `fewer than the ${MIN_OUTAGE_CALLS} the breaker needs to see the failure rate reach 50 % ` +
        `(e.g. --duration ${byDuration('outage', neededMs)}, or --users ${Math.ceil((MIN_OUTAGE_CALLS * CYCLE_FAILING_MS) / Math.max(1, outage))})`,
    );
  }
  if (problems.length > 0) throw new UnfitIncidentError(`this incident cannot tell the story: ${problems.join('; ')}`);

  const windowSize = Math.min(20, outageCalls);
  const healthyCalls = (users * length('healthy')) / (CYCLE_OK_MS * pace);
  const maxConcurrent = Math.max(8, Math.ceil(users / 4));
  return {
    timeoutMs,
    resetBaseMs: Math.min(500, resetCapMs),
    resetCapMs,
    windowSize,
    minimumCalls: Math.min(10, windowSize),
    bulkhead: { maxConcurrent, maxQueue: maxConcurrent },
    thinkMs: [Math.round(THINK_MS[0] * pace), Math.round(THINK_MS[1] * pace)],
    // About eight requests per item in the healthy phase: every item has a good answer to fall back on.
    catalogSize: Math.max(1, Math.min(20, Math.floor(healthyCalls / 8))),
    staleTtlMs: total + 60_000,
    tuning: {
      ...DEFAULT_TUNING,
      slowMs: [Math.round(2.4 * timeoutMs), Math.round(3.6 * timeoutMs)],
    },
  };
}
