import type { CircuitOpenError } from '../../../errors/circuit-open-error.js';
import { emitEvent, Outbox } from '../../../events/outbox.js';
import { ExecutorPolicy, type Executable } from '../../../runtime/policy.js';
import type { Call, InnerLayers, Step } from '../../../runtime/call.js';
import { CircuitBreakerPolicy } from '../breaker.js';
import { countFailure, countSuccess } from '../counts.js';
import type { CircuitBreakerSnapshot } from '../handle.js';
import type { CircuitBreakerConfig } from '../options.js';
import { outcomeEvent, storeEvent } from '../publish.js';
import type { Outcome } from '../state-machine.js';
import { nextLeaseToken } from './lease-token.js';
import { StoreLink } from './link.js';
import { isNews, mirrorState, withWindow } from './mirror.js';
import { sharedRules } from './rules.js';
import type { BreakerStore, SharedCircuitState } from './store.js';

/** A call the store (or the local copy) admitted. */
interface Admitted {
  readonly start: number;
  readonly gen: number;
}

/**
 * A circuit breaker whose circuit is shared through a {@link BreakerStore} (the `store` option).
 *
 * The local state is a copy of the shared one, refreshed by every reply and every change the store
 * publishes. A closed circuit admits calls from that copy, with nothing awaited, and reports their
 * outcomes behind (see {@link StoreLink}); the store counts them in the shared window and opens the
 * circuit for the whole fleet. An open circuit rejects from the copy until its reset delay has
 * passed; from then on a call asks the store for a probe lease (at most `halfOpenMaxCalls` leases
 * fleet-wide; a process asks for no more than that many at once). `consistency: 'strict'` asks the
 * store for every call. While the store is unavailable the breaker follows `onStoreFailure`.
 * @internal
 */
export class SharedCircuitBreaker extends CircuitBreakerPolicy {
  private readonly link: StoreLink;
  private readonly failureMode: BreakerStore['onStoreFailure'];
  /** The generation of the shared state this copy follows; -1 before the first read. */
  private known = -1;
  private firstRead: Promise<unknown> | undefined;
  /** Probe leases this process holds in the current generation, and admissions awaiting the store. */
  private leases: string[] = [];
  private asking = 0;
  /** Until when (monotonic ms) the store said every probe slot is leased. */
  private deniedUntil = 0;
  private sharedWindow: SharedCircuitState['window'] | undefined;
  /** A local generation whose calls count in a store's generation: [local, store] (see `follow`). */
  private carried: readonly [number, number] = [-1, -1];

  constructor(name: string, config: CircuitBreakerConfig, store: BreakerStore) {
    super(name, config);
    this.failureMode = store.onStoreFailure;
    this.link = new StoreLink(store, name, sharedRules(config), () => this.clock(), {
      follow: (shared) => this.follow(shared),
      storeLost: (error) => this.storeLost(error),
      storeRestored: (shared, duration) => this.storeRestored(shared, duration),
    });
  }

  /** @internal See `SoloPolicy`: admission may wait for the store. */
  override get admitsSynchronously(): boolean {
    return false;
  }

  override run(call: Call, next: Step, inner: InnerLayers): Promise<unknown> {
    if (this.fromCopy()) return super.run(call, next, inner);
    return this.admitShared().then((admitted) =>
      'start' in admitted ? this.proceed(call, next, inner, admitted.gen, admitted.start) : Promise.reject(admitted),
    );
  }

  override execute<T>(fn: Executable<T>, signal?: AbortSignal): Promise<T> {
    if (signal === undefined && this.fromCopy()) return super.execute(fn);
    // Through the engine, whose chain calls `run` (the breaker's own direct path admits synchronously).
    return ExecutorPolicy.prototype.execute.call(this, fn, signal) as Promise<T>;
  }

  /** Whether the local copy decides the next call at once. */
  private fromCopy(): boolean {
    if (this.link.down) return true;
    if (this.known < 0 || this.config.consistency === 'strict') return false;
    const s = this.s;
    if (s.kind === 'open') return this.clock().monotonic() < s.until;
    return s.kind !== 'half_open';
  }

  protected override enter(): number | CircuitOpenError {
    const s = this.s;
    if (this.link.down) {
      this.link.retryIfDue();
      if (this.failureMode === 'local') return super.enter();
      if (this.failureMode === 'open') return this.reject('open', 0, this.clock(), new Outbox());
      this.admittedGen = s.gen;
      return this.clock().monotonic();
    }
    if (s.kind === 'closed' || s.kind === 'disabled') return super.enter();
    const clock = this.clock();
    const retryAfter = s.kind === 'open' ? Math.max(0, s.until - clock.monotonic()) : Infinity;
    return this.reject(s.kind, retryAfter, clock, new Outbox());
  }

  /**
   * Admits a call through the store: its start and generation (read together: other calls may be
   * admitted before this one's continuation runs), or the rejection.
   */
  private async admitShared(): Promise<Admitted | CircuitOpenError> {
    if (this.known < 0) await (this.firstRead ??= this.link.read());
    if (this.fromCopy()) return this.enterNow();
    const clock = this.clock();
    const probing = this.s.kind !== 'closed' && this.s.kind !== 'disabled';
    if (
      probing &&
      (clock.monotonic() < this.deniedUntil || this.asking + this.leases.length >= this.config.halfOpenMaxCalls)
    ) {
      return this.reject('half_open', Math.max(0, this.deniedUntil - clock.monotonic()), clock, new Outbox());
    }
    const token = nextLeaseToken();
    this.asking++;
    let shared: SharedCircuitState | undefined;
    try {
      shared = await this.link.send((session) => session.admit(token));
    } finally {
      this.asking--;
    }
    if (shared === undefined) return this.enterNow(); // the store failed: onStoreFailure decides
    if (!shared.granted) {
      const retryAfter = shared.state === 'forced_open' ? Infinity : shared.retryAfter;
      if (shared.state === 'half_open') this.deniedUntil = clock.monotonic() + retryAfter;
      return this.reject(shared.state, retryAfter, clock, new Outbox());
    }
    if (shared.state === 'half_open' && shared.gen === this.s.gen) this.leases.push(token);
    return { start: clock.monotonic(), gen: shared.gen };
  }

  /** `enter`, with the generation it admitted in. */
  private enterNow(): Admitted | CircuitOpenError {
    const start = this.enter();
    return typeof start === 'number' ? { start, gen: this.admittedGen } : start;
  }

  protected override onSettled(gen: number, start: number, outcome: Outcome, error: unknown): void {
    if (this.link.down && this.failureMode === 'local') {
      super.onSettled(gen, start, outcome, error);
      return;
    }
    const clock = this.clock();
    const duration = start === start ? clock.monotonic() - start : 0;
    const state = this.s;
    // Calls admitted before this process learnt the generation of a closed period still count in it.
    const current = gen === state.gen || (gen === this.carried[0] && state.gen === this.carried[1]);
    const counted = outcome === 'ignored' || !current ? 'ignored' : outcome;
    const slowAfter = this.config.slowCallDuration;
    const slow = counted !== 'ignored' && slowAfter !== undefined && duration >= slowAfter;
    if (counted === 'ignored') this.ignoredCalls++;
    else if (counted === 'failure') countFailure(this);
    else countSuccess(this);
    if (slow) this.slowCalls++;
    emitEvent(() => outcomeEvent(this.name, counted, clock.now(), duration, error), this.eventChannel);
    if (this.link.down || !current) return;
    const code = outcome === 'ignored' ? 'i' : outcome === 'failure' ? (slow ? 'F' : 'f') : slow ? 'S' : 's';
    if (state.kind === 'half_open') {
      const token = this.leases.pop();
      if (token !== undefined) void this.link.send((session) => session.settle(gen, token, code));
    } else if (state.kind === 'closed' && code !== 'i') {
      this.link.report(gen, code);
    }
  }

  override forceOpen(): void {
    super.forceOpen();
    this.command('forced_open');
  }

  override disable(): void {
    super.disable();
    this.command('disabled');
  }

  override reset(): void {
    super.reset();
    this.command('reset');
  }

  override snapshot(): CircuitBreakerSnapshot {
    const w = this.sharedWindow;
    return w === undefined || this.link.down ? super.snapshot() : withWindow(super.snapshot(), w);
  }

  override dispose(): void {
    this.link.close();
    super.dispose();
  }

  /** A change asked for here: applied at once to the copy, and for the whole fleet through the store. */
  private command(change: 'forced_open' | 'disabled' | 'reset'): void {
    if (!this.link.down) void this.link.send((session) => session.command(change));
  }

  /** Follows the shared state when it is news; an open circuit's remaining time is refreshed always. */
  private follow(shared: SharedCircuitState, always = false): void {
    this.sharedWindow = shared.window;
    const clock = this.clock();
    const now = clock.monotonic();
    if (!always && !isNews(shared, this.known)) {
      const s = this.s;
      if (shared.gen !== this.known || s.kind !== shared.state) return;
      if (s.kind === 'open') this.s = mirrorState(shared, now);
      // Published when a probe settled without a change of state: a slot is free.
      else if (s.kind === 'half_open' && !shared.granted) this.deniedUntil = 0;
      return;
    }
    this.known = shared.gen;
    this.leases = [];
    this.deniedUntil = 0;
    const from = this.s;
    const to = mirrorState(shared, now);
    if (from.kind === to.kind) {
      // A closed period the store saw no change in yet (a new key, or one a restarted Redis lost) is
      // the period this process was already in: only its number is news.
      if (to.kind === 'closed' && shared.reason === undefined) this.carried = [from.gen, to.gen];
      this.s = to;
      return;
    }
    const outbox = new Outbox();
    this.apply({ from, to, reason: shared.reason ?? 'reset' }, clock, outbox);
    if (shared.openedAt !== null && (to.kind === 'open' || to.kind === 'forced_open')) this.openedAt = shared.openedAt;
    outbox.publish();
  }

  private storeLost(error: unknown): void {
    this.leases = [];
    // The closed state's window was the store's: the local one starts empty.
    this.judge?.reset();
    emitEvent(() => storeEvent(this.name, this.clock().now(), { type: 'store_unavailable', error }), this.eventChannel);
  }

  private storeRestored(shared: SharedCircuitState, duration: number): void {
    emitEvent(() => storeEvent(this.name, this.clock().now(), { type: 'store_restored', duration }), this.eventChannel);
    // What the fleet decided meanwhile wins over what this process decided alone.
    this.follow(shared, true);
  }
}
