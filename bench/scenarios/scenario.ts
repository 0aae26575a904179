import type { LibraryAdapter } from '../libraries/adapter.js';
import type { Summary } from '../harness/stats.js';

/** How much work each scenario does: `full` for the committed results, `smoke` for `npm test`. */
export type Mode = 'full' | 'quick' | 'smoke';

export interface Scale {
  readonly rounds: number;
  readonly warmupRounds: number;
  /** A full gc before each timing sample (skipped by the smoke run: in a big test-runner heap it is slow). */
  readonly gcBetweenSamples: boolean;
  /** Target duration of one timing sample. */
  readonly sampleMs: number;
  /** Scenario 4: failing calls per sample (and successes added after it). */
  readonly failingCalls: number;
  /** Scenario 5: breakers created per sample, and rounds (heap counts barely vary; gc is slow). */
  readonly idleBreakers: number;
  readonly heapRounds: number;
  /** Scenario 6: calls in flight at once. */
  readonly concurrentCalls: number;
  /** Scenario 7: trips per sample. */
  readonly trips: number;
  /** Scenario 9: child processes per library, and how long one may live. */
  readonly exitRounds: number;
  readonly exitLimitMs: number;
}

export const SCALES: Record<Mode, Scale> = {
  full: {
    rounds: 11,
    warmupRounds: 2,
    gcBetweenSamples: true,
    sampleMs: 25,
    failingCalls: 500,
    idleBreakers: 2_000,
    heapRounds: 5,
    concurrentCalls: 10_000,
    trips: 200,
    exitRounds: 3,
    exitLimitMs: 8_000,
  },
  quick: {
    rounds: 5,
    warmupRounds: 1,
    gcBetweenSamples: true,
    sampleMs: 10,
    failingCalls: 200,
    idleBreakers: 1_000,
    heapRounds: 3,
    concurrentCalls: 10_000,
    trips: 100,
    exitRounds: 1,
    exitLimitMs: 5_000,
  },
  smoke: {
    rounds: 2,
    warmupRounds: 1,
    gcBetweenSamples: false,
    sampleMs: 1,
    failingCalls: 20,
    idleBreakers: 50,
    heapRounds: 1,
    concurrentCalls: 500,
    trips: 5,
    exitRounds: 1,
    exitLimitMs: 4_000,
  },
};

export interface ScenarioContext {
  readonly libraries: readonly LibraryAdapter[];
  readonly scale: Scale;
  readonly mode: Mode;
}

/** What a row measures; values are stored in ns, bytes or ms as the unit says. */
export type Unit = 'ns' | 'bytes' | 'ms';

export interface Row {
  readonly library: string;
  readonly summary?: Summary;
  /** Scenario 9 only. */
  readonly exited?: boolean;
  /** Scenario 5 only: bytes per breaker still on the heap once the breakers (and their objects) were dropped. */
  readonly retained?: Summary;
  readonly note?: string;
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly unit: Unit;
  /** What the number means, e.g. "overhead above `await fn()` per call". */
  readonly metric: string;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

/** The work every scenario wraps: an async function that succeeds. */
export const succeed = async (): Promise<number> => 1;

/** An async function that fails with a fresh Error, as a real failure would. */
export const fail = async (): Promise<number> => {
  throw new Error('dependency failed');
};
