import type { Op } from '../harness/timing.js';

/** The work a library wraps: an async function. */
export type Work = () => Promise<number>;
/** Runs the given work through one long-lived policy (for scenarios that switch work per call). */
export type Executor = (work: Work) => Promise<number>;

/** Scenario 7: a breaker that opens on its first failure, with a state-change listener. */
export interface TripTarget {
  /**
   * Brings a closed breaker into place (untimed) whose open-listener calls `onOpen`, and returns
   * the call that fails and so opens it.
   */
  arm(onOpen: () => void): () => Promise<unknown>;
}

/**
 * One contender. Every method builds its policies once (untimed); the returned Op or Executor is
 * what the scenario times. A method a library cannot provide is left out.
 */
export interface LibraryAdapter {
  readonly id: string;
  readonly label: string;
  /** 1, 6: a closed breaker with the library's default-like options around `work`. */
  closed(work: Work): Op;
  /** 2: fallback + breaker + retry + timeout + bulkhead around `work`, outermost first. */
  stack?(work: Work): Op;
  /** 3: a breaker opened by real failures; the Op is a call it rejects. */
  open?(fail: Work): Promise<Op>;
  /** 4: failure rate over a 60 s time window, opening at 50 %. */
  timeWindow?(): Executor;
  /** 8: failure rate over the last 100 calls, opening at 75 %. */
  countWindow?(): Executor;
  /** 5: one breaker with default options, called once; resolves to what the scenario holds on to. */
  idle?(index: number, work: Work): Promise<unknown>;
  /** 5: frees what {@link idle} returned (timers, registries), between rounds. */
  releaseIdle?(held: unknown): void;
  /** 7: see {@link TripTarget}. */
  trip?(fail: Work): TripTarget | Promise<TripTarget>;
}

/** Ids in report order. */
export const LIBRARY_IDS = ['baseline', 'hand', 'cockatiel', 'opossum', 'bw-decorator', 'bw-functional'] as const;
export type LibraryId = (typeof LIBRARY_IDS)[number];
