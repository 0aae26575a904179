import { getClock, type Clock } from '../../clock/clock.js';
import type { CircuitOpenError } from '../../errors/circuit-open-error.js';
import type { Channel } from '../../events/channel.js';
import { eventsObserved, Outbox } from '../../events/outbox.js';
import type { CircuitState, CircuitStateChange, ResilienceEvent } from '../../events/types.js';
import { ExecutorPolicy } from '../../runtime/policy.js';
import { clearCounts, countFailure, countSuccess, type CallCounts } from './counts.js';
import { circuitOpenError } from './open-error.js';
import type { CircuitBreakerConfig } from './options.js';
import { restoreMemory } from './persistence/restore.js';
import { outcomeEvent, queueStateChange } from './publish.js';
import { admit, lazyTransition, settle, type Outcome } from './state-machine.js';
import { initialState, transition, type BreakerState, type Transition } from './state.js';
import { Judge } from './strategies/judge.js';

/**
 * The circuit of a breaker: its state, the closed state's window and rules (`Judge`), its counts and
 * its event channels, and the two moments that change them — a call admitted (`enter`) and a call
 * settled (`onSettled`) — plus the transitions a person asks for. The decisions are the pure
 * functions of `state-machine.ts` and the judge's; this class reads the clock, applies their results,
 * counts and publishes. `CircuitBreakerPolicy` (breaker.ts) makes it a policy and a handle.
 * @internal
 */
export abstract class Circuit extends ExecutorPolicy implements CallCounts {
  protected s: BreakerState = initialState();
  /** The window and rules of the closed state, created by the first counted outcome. */
  protected judge: Judge | undefined;
  protected openedAt: number | null = null;
  /** @internal The counts (see counts.ts): own fields, changed only through its functions. */
  successfulCalls = 0;
  /** @internal */ failedCalls = 0;
  /** @internal */ rejectedCalls = 0;
  /** @internal */ ignoredCalls = 0;
  /** @internal */ slowCalls = 0;
  /** @internal */ consecutiveFailures = 0;
  /** @internal */ consecutiveSuccesses = 0;
  /** @internal */ stateTransitions = 0;
  // Created on first subscription: most breakers are never observed one by one.
  protected stateChannel: Channel<CircuitStateChange> | undefined;
  protected eventChannel: Channel<ResilienceEvent> | undefined;
  /**
   * The generation of the call `enter` admitted last, set after its events are published (a
   * subscriber may change the state, and admit calls of its own, while they are): read it right
   * after `enter` returns.
   */
  protected admittedGen = 0;

  constructor(
    readonly name: string,
    /** @internal */ readonly config: CircuitBreakerConfig,
  ) {
    // No layers given: the functional policy's only layer is the breaker itself.
    super('circuitBreaker');
    if (config.initialState !== undefined) {
      const m = restoreMemory(config.initialState, config, this.clock());
      this.s = m.state;
      this.openedAt = m.openedAt;
      this.judge = m.judge;
      this.consecutiveFailures = m.consecutiveFailures;
    }
  }

  /**
   * Admits a call (after the lazy transitions) and returns its start time — NaN when nothing needs
   * it: reading the clock is a good part of a closed call's cost — or the rejection. The start time
   * is read after the admission's events are delivered: however long a subscriber takes over them,
   * that time is not the call's.
   */
  protected enter(): number | CircuitOpenError {
    const state = this.s;
    if (state.kind === 'closed' || state.kind === 'disabled') {
      this.admittedGen = state.gen;
      return this.config.timed || this.observed() ? this.clock().monotonic() : Number.NaN;
    }
    const clock = this.clock();
    const start = clock.monotonic();
    const outbox = new Outbox();
    for (
      let t = lazyTransition(state, start, this.config);
      t !== undefined;
      t = lazyTransition(this.s, start, this.config)
    ) {
      this.apply(t, clock, outbox);
    }
    const current = this.s;
    const admission = admit(current, start, this.config);
    if (admission.kind === 'rejected') return this.reject(current.kind, admission.retryAfter, clock, outbox);
    if (admission.kind === 'probe') this.s = admission.state;
    const gen = this.s.gen;
    if (outbox.empty) {
      this.admittedGen = gen;
      return start;
    }
    outbox.publish();
    this.admittedGen = gen;
    return clock.monotonic();
  }

  /** Counts a rejected call, publishes its event with what `outbox` holds, and returns its error. */
  protected reject(state: CircuitState, retryAfter: number, clock: Clock, outbox: Outbox): CircuitOpenError {
    this.rejectedCalls++;
    const error = circuitOpenError(this.name, retryAfter);
    if (this.observed()) {
      outbox.addEvent(
        { type: 'rejected', at: clock.now(), policy: 'circuitBreaker', name: this.name, state, retryAfter },
        this.eventChannel,
      );
    }
    outbox.publish();
    return error;
  }

  forceOpen(): void {
    if (this.s.kind !== 'forced_open') this.change(transition(this.s, { kind: 'forced_open' }, 'forced_open'));
  }

  disable(): void {
    if (this.s.kind !== 'disabled') this.change(transition(this.s, { kind: 'disabled' }, 'disabled'));
  }

  reset(): void {
    const outbox = new Outbox();
    // Resetting a closed circuit is no transition, but it too starts a new generation.
    // The window is cleared, not dropped (by `apply`, on the way to closed): a breaker reset in a
    // loop (tests, a dashboard button) keeps reusing it.
    if (this.s.kind === 'closed') {
      this.s = initialState(this.s.gen + 1);
      this.judge?.reset();
    } else {
      this.apply(transition(this.s, { kind: 'closed' }, 'reset'), this.clock(), outbox);
    }
    this.openedAt = null;
    clearCounts(this);
    outbox.publish();
  }

  protected clock(): Clock {
    return this.config.clock ?? getClock();
  }

  protected abandoned(gen: number): boolean {
    const s = this.s;
    return s.gen !== gen && (s.kind === 'open' || s.kind === 'forced_open' || s.kind === 'half_open');
  }

  protected onSettled(gen: number, start: number, outcome: Outcome, error: unknown): void {
    const current = this.s;
    if (
      outcome === 'success' &&
      start !== start &&
      !this.config.successCanOpen &&
      current.gen === gen &&
      current.kind === 'closed' &&
      !this.observed()
    ) {
      // The hot path: a success in a closed circuit that no rule times, no rate can trip on, and
      // nobody watches. Nothing to publish and no transition possible.
      countSuccess(this);
      (this.judge ??= new Judge(this.config)).record(false, false, start);
      return;
    }
    const clock = this.clock();
    let now = start === start ? clock.monotonic() : Number.NaN;
    const state = this.s;
    const outbox = new Outbox();
    const observed = this.observed();
    // An outcome from an older generation (admitted before the latest state change) counts as ignored.
    if (outcome === 'ignored' || gen !== state.gen) {
      this.ignoredCalls++;
      if (observed) {
        const duration = now === now ? now - start : 0;
        outbox.addEvent(outcomeEvent(this.name, 'ignored', clock.now(), duration, error), this.eventChannel);
      }
      const freed =
        outcome === 'ignored' ? settle(state, gen, 'ignored', false, undefined, now, this.config) : undefined;
      if (freed !== undefined) this.s = freed.state;
      outbox.publish();
      return;
    }
    // Untimed only when no rule needs durations: a listener that subscribed mid-call sees 0.
    const duration = now === now ? now - start : 0;
    const slowAfter = this.config.slowCallDuration;
    const slow = slowAfter !== undefined && duration >= slowAfter;
    const failure = outcome === 'failure';
    if (slow) this.slowCalls++;
    if (failure) countFailure(this);
    else countSuccess(this);
    if (observed) {
      outbox.addEvent(outcomeEvent(this.name, outcome, clock.now(), duration, error), this.eventChannel);
    }
    const reason =
      state.kind === 'closed' ? (this.judge ??= new Judge(this.config)).record(failure, slow, now) : undefined;
    // A transition needs the real time (when the circuit may be probed again).
    if (now !== now && (reason !== undefined || state.kind !== 'closed')) now = clock.monotonic();
    const result = settle(state, gen, outcome, slow, reason, now, this.config);
    if (result !== undefined) {
      if (result.transition !== undefined) this.apply(result.transition, clock, outbox);
      else this.s = result.state;
    }
    outbox.publish();
  }

  private change(t: Transition): void {
    const outbox = new Outbox();
    this.apply(t, this.clock(), outbox);
    outbox.publish();
  }

  /** Makes a transition current and queues its events; the caller publishes them once its step is done. */
  protected apply(t: Transition, clock: Clock, outbox: Outbox): void {
    this.s = t.to;
    this.stateTransitions++;
    const to = t.to.kind;
    // One wall-clock reading for both the opening time and the event's timestamp.
    const at = to === 'open' || to === 'forced_open' ? (this.openedAt = clock.now()) : undefined;
    // A closed period judges only its own calls.
    if (to === 'closed') this.judge?.reset();
    queueStateChange(outbox, this.name, t, at ?? clock, this.stateChannel, this.eventChannel);
  }

  protected observed(): boolean {
    return eventsObserved(this.eventChannel);
  }
}
