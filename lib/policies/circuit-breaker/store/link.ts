import type { Clock } from '../../../clock/clock.js';
import { withDeadline } from './deadline.js';
import type { BreakerStore, BreakerStoreSession, SharedCircuitState, SharedRules } from './store.js';

/** What a {@link StoreLink} tells its breaker. @internal */
export interface LinkOwner {
  /** A shared state arrived: a reply, or a change another process published. */
  follow(shared: SharedCircuitState): void;
  /** The store stopped answering (once per outage). */
  storeLost(error: unknown): void;
  /** The store answers again after `duration` ms; `shared` is what it holds now. */
  storeRestored(shared: SharedCircuitState, duration: number): void;
}

interface Batch {
  readonly gen: number;
  codes: string;
}

/** Outcomes waiting for the next report, at most. @internal */
export const MAX_PENDING = 1_000;

/** How often, at most, a breaker whose store is unavailable tries it again (on a call), ms. @internal */
export const RESYNC_INTERVAL = 250;

/**
 * The thin effectful shell between one breaker and its store: opens the session at the first
 * command, puts the store's deadline on every command, batches outcome reports (sent once the
 * current microtask queue drains, one report in flight at a time, so a busy breaker sends larger
 * batches rather than more of them), and notices the store going away and coming back. No timer
 * runs but a command's deadline; an unavailable store is tried again on calls, at most every
 * {@link RESYNC_INTERVAL} ms.
 * @internal
 */
export class StoreLink {
  private session: BreakerStoreSession | undefined;
  private batches: Batch[] = [];
  private flushing = false;
  /** Outcomes in `batches`. */
  private pending = 0;
  /** Set while the store is unavailable: since when, and when to try it again (monotonic ms). */
  private outage: { readonly since: number; next: number } | undefined;
  private resyncing = false;
  private closed = false;

  constructor(
    private readonly store: BreakerStore,
    private readonly name: string,
    private readonly rules: SharedRules,
    private readonly clock: () => Clock,
    private readonly owner: LinkOwner,
  ) {}

  /** True while the store is unavailable. */
  get down(): boolean {
    return this.outage !== undefined;
  }

  /**
   * Runs one command under the deadline. Resolves with the shared state, or with `undefined` when
   * the store failed or was too slow (the owner has been told): never rejects.
   */
  send(
    command: (session: BreakerStoreSession) => Promise<SharedCircuitState>,
  ): Promise<SharedCircuitState | undefined> {
    // A disposed breaker's late report must not open a new session.
    if (this.closed) return Promise.resolve(undefined);
    const clock = this.clock();
    let pending: Promise<SharedCircuitState>;
    try {
      pending = command((this.session ??= this.open()));
    } catch (error) {
      pending = Promise.reject(error);
    }
    return withDeadline(pending, this.store.commandTimeout, clock).then(
      (shared) => {
        const outage = this.outage;
        if (outage === undefined) {
          this.owner.follow(shared);
        } else {
          this.outage = undefined;
          this.owner.storeRestored(shared, clock.monotonic() - outage.since);
        }
        return shared;
      },
      (error: unknown) => {
        if (this.outage === undefined) {
          const now = clock.monotonic();
          this.outage = { since: now, next: now + RESYNC_INTERVAL };
          this.batches = [];
          this.pending = 0;
          this.owner.storeLost(error);
        }
        return undefined;
      },
    );
  }

  /**
   * Queues one closed-state outcome of generation `gen` for the next report. Past
   * {@link MAX_PENDING} outcomes waiting (a breaker settling hundreds of thousands of calls a second
   * while one report is in flight), further ones are left out until it returns: the store sees a
   * sample then, and its script never runs long enough to hold Redis up.
   */
  report(gen: number, code: string): void {
    if (this.pending >= MAX_PENDING) return;
    this.pending++;
    const batches = this.batches;
    const last = batches.length === 0 ? undefined : batches[batches.length - 1]!;
    if (last !== undefined && last.gen === gen) last.codes += code;
    else batches.push({ gen, codes: code });
    if (!this.flushing) {
      this.flushing = true;
      queueMicrotask(() => void this.flush());
    }
  }

  /** While the store is unavailable: reads it again if the time has come (called on calls). */
  retryIfDue(): void {
    const outage = this.outage;
    if (outage === undefined || this.resyncing) return;
    const now = this.clock().monotonic();
    if (now < outage.next) return;
    outage.next = now + RESYNC_INTERVAL;
    this.resyncing = true;
    void this.send((s) => s.read()).finally(() => {
      this.resyncing = false;
    });
  }

  /** Re-reads the shared state (after a resubscription, or at the first call). */
  read(): Promise<SharedCircuitState | undefined> {
    return this.send((s) => s.read());
  }

  close(): void {
    this.closed = true;
    this.batches = [];
    this.session?.close();
    this.session = undefined;
  }

  private open(): BreakerStoreSession {
    return this.store.session(
      this.name,
      this.rules,
      (shared) => {
        // A change published while the store looks unavailable to this process waits for the re-read.
        if (this.outage === undefined) this.owner.follow(shared);
      },
      () => void this.read(),
    );
  }

  private async flush(): Promise<void> {
    while (this.batches.length > 0 && this.outage === undefined) {
      const batches = this.batches;
      this.batches = [];
      this.pending = 0;
      await Promise.all(batches.map((b) => this.send((s) => s.report(b.gen, b.codes))));
    }
    this.batches = [];
    this.pending = 0;
    this.flushing = false;
  }
}
