import { between, seededRandom, streamSeed } from './random.js';
import { THINK_MS } from './scale.js';

/** How one user request ended, as the user saw it. */
export type Outcome = 'fresh' | 'stale' | 'error';

/** One user request. Times are ms since the load started. */
export interface CallRecord {
  /** The catalogue item asked for. */
  readonly item: number;
  readonly startMs: number;
  readonly latencyMs: number;
  readonly outcome: Outcome;
  /** The error's name when `outcome` is `'error'`. */
  readonly error?: string;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Simulated users, each looping request → think. */
  readonly users: number;
  /** No user starts a request after this (ms since start); running requests are awaited. */
  readonly durationMs: number;
  /** The request a user makes: resolves to whether the answer was stale. */
  readonly call: (item: number) => Promise<{ readonly stale: boolean }>;
  readonly seed: number;
  /** Think time range between two requests of one user, ms. @defaultValue {@link THINK_MS} */
  readonly thinkMs?: readonly [number, number];
  /** Items are drawn from 1..catalogSize. @defaultValue 20 */
  readonly catalogSize?: number;
  /** Monotonic clock, ms. @defaultValue `performance.now` */
  readonly now?: () => number;
  /** Called for each finished request (for the live view). */
  readonly onRecord?: (record: CallRecord) => void;
  /** Aborting it stops the users early (Ctrl-C). */
  readonly stop?: AbortSignal;
}

// One abort listener per run wakes every sleeping user: a listener per sleep would pile up on a
// long-lived signal (MaxListenersExceededWarning with more than ten users).
function sleeper(stop: AbortSignal | undefined): { sleep: (ms: number) => Promise<void>; dispose: () => void } {
  const sleeping = new Set<() => void>();
  const wakeAll = (): void => {
    for (const wake of [...sleeping]) wake();
  };
  stop?.addEventListener('abort', wakeAll, { once: true });
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stop?.aborted) return resolve();
      const wake = (): void => {
        clearTimeout(timer);
        sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleeping.add(wake);
    });
  return { sleep, dispose: () => stop?.removeEventListener('abort', wakeAll) };
}

/**
 * Runs `users` concurrent simulated users against `call` until `durationMs` has passed, and returns
 * every request they made. Never rejects: a failed request is recorded as an `'error'` outcome.
 *
 * @param options - users, duration, the call to make.
 * @example
 * ```ts
 * const records = await runLoad({ users: 10, durationMs: 5_000, seed: 1, call: (item) => client.getQuote(item) });
 * ```
 */
export async function runLoad(options: LoadOptions): Promise<CallRecord[]> {
  const now = options.now ?? (() => performance.now());
  const [thinkMin, thinkMax] = options.thinkMs ?? THINK_MS;
  const catalogSize = options.catalogSize ?? 20;
  const startedAt = now();
  const records: CallRecord[] = [];
  const { sleep, dispose } = sleeper(options.stop);
  const running = (): boolean => now() - startedAt < options.durationMs && !options.stop?.aborted;

  const user = async (id: number): Promise<void> => {
    const random = seededRandom(streamSeed(options.seed, `user-${id}`));
    // Users arrive over the first think time rather than all in the same millisecond.
    await sleep(between(random, 0, thinkMax));
    while (running()) {
      const item = 1 + Math.floor(random() * catalogSize);
      const start = now();
      let record: CallRecord;
      try {
        const answer = await options.call(item);
        const outcome = answer.stale ? 'stale' : 'fresh';
        record = { item, startMs: start - startedAt, latencyMs: now() - start, outcome };
      } catch (error) {
        const name = error instanceof Error ? error.name : typeof error;
        record = { item, startMs: start - startedAt, latencyMs: now() - start, outcome: 'error', error: name };
      }
      records.push(record);
      options.onRecord?.(record);
      await sleep(between(random, thinkMin, thinkMax));
    }
  };

  try {
    await Promise.all(Array.from({ length: options.users }, (_, id) => user(id)));
  } finally {
    dispose();
  }
  return records.sort((a, b) => a.startMs - b.startMs);
}
