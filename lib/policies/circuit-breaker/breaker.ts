import type { Observable } from 'rxjs';
import { getClock, type Clock } from '../../clock/clock.js';
import {
  asPromise,
  invokeTarget,
  withAbandoned,
  type Call,
  type InnerLayers,
  type PolicyExecutor,
  type SoloPolicy,
  type Step,
} from '../../runtime/call.js';
import { Channel } from '../../events/channel.js';
import type { CircuitState, CircuitStateChange, ResilienceEvent } from '../../events/types.js';
import { ExecutorPolicy, type Executable } from '../../runtime/policy.js';
import { NEVER_ABORTED, NO_SCOPE, type Scope } from '../../runtime/scope.js';
import { FIRST_ATTEMPT } from '../../runtime/attempt.js';
import type { CircuitOpenError } from '../../errors/circuit-open-error.js';
import type { CircuitBreakerHandle, CircuitBreakerSettings, CircuitBreakerSnapshot } from './handle.js';
import { circuitOpenError } from './open-error.js';
import type { CircuitBreakerConfig } from './options.js';
import { classifyError } from './classify.js';
import { eventsObserved, publish, queueEvent, queueStateChange, type Outbox } from './publish.js';
import { admit, lazyTransition, settle, type Outcome } from './state-machine.js';
import { initialState, transition, type BreakerState, type Transition } from './state.js';
import { Judge } from './strategies/judge.js';
import type { CircuitBreakerSavedState } from './persistence/saved-state.js';
import { restoreMemory } from './persistence/restore.js';
import { saveMemory } from './persistence/save.js';
import { disposeBreaker } from './registry-state.js';

/**
 * A circuit breaker: at once the engine's executor, the functional policy (`execute`) and the
 * run-time handle. The decisions are the pure functions of `state-machine.ts`; this class only
 * reads the clock, applies their results, counts and publishes.
 * @internal
 */
export class CircuitBreakerPolicy extends ExecutorPolicy implements PolicyExecutor, SoloPolicy, CircuitBreakerHandle {
  declare readonly kind: 'circuitBreaker';
  private s: BreakerState = initialState();
  /** The window and rules of the closed state, created by the first counted outcome. */
  private judge: Judge | undefined;
  private openedAt: number | null = null;
  private successfulCalls = 0;
  private failedCalls = 0;
  private rejectedCalls = 0;
  private ignoredCalls = 0;
  private slowCalls = 0;
  private consecutiveFailures = 0;
  private consecutiveSuccesses = 0;
  private stateTransitions = 0;
  // Created on first subscription: most breakers are never observed one by one.
  private stateChannel: Channel<CircuitStateChange> | undefined;
  private eventChannel: Channel<ResilienceEvent> | undefined;
  /**
   * The generation of the call `enter` admitted last, set after its events are published (a
   * subscriber may change the state, and admit calls of its own, while they are): read it right
   * after `enter` returns.
   */
  private admittedGen = 0;
  /** The success handler shared by the untimed calls of generation `successGen` (see `track`). */
  private successHandler: ((value: unknown) => unknown) | undefined;
  private successGen = 0;

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

  get state(): CircuitState {
    return this.s.kind;
  }

  get stateChanges$(): Observable<CircuitStateChange> {
    return (this.stateChannel ??= new Channel()).observable;
  }

  get events$(): Observable<ResilienceEvent> {
    return (this.eventChannel ??= new Channel()).observable;
  }

  run(call: Call, next: Step, inner: InnerLayers): Promise<unknown> {
    const start = this.enter();
    if (typeof start !== 'number') return Promise.reject(start);
    const gen = this.admittedGen;
    if (next === invokeTarget && call.mode === 'method' && !call.scope.cancellable) {
      // Innermost, and nothing can cancel the call: apply the method here rather than through
      // invokeTarget, one frame fewer under every error it throws (see `execute`).
      let result: unknown;
      try {
        result = (call.target as (...a: readonly unknown[]) => unknown).apply(call.thisArg, call.args as unknown[]);
      } catch (error) {
        result = Promise.reject(error);
      }
      return this.track(asPromise(result), gen, start, call.scope, undefined);
    }
    // A retry inside must stop once this breaker has opened since the call was admitted.
    const inside = inner.has('retry') ? withAbandoned(call, () => this.abandoned(gen)) : call;
    return this.track(next(inside), gen, start, call.scope, inner.bulkhead);
  }

  /** @internal See {@link SoloPolicy}. */
  admitAlone(): number | CircuitOpenError {
    return this.enter();
  }

  /** @internal See {@link SoloPolicy}. */
  get generation(): number {
    return this.admittedGen;
  }

  /** @internal See {@link SoloPolicy}. */
  settleAlone(result: Promise<unknown>, generation: number, start: number): Promise<unknown> {
    return this.track(result, generation, start, NO_SCOPE, undefined);
  }

  /**
   * The breaker alone, without a caller signal, calls `fn` itself: every frame between the caller
   * and `fn` costs about a microsecond whenever `fn` throws a new Error (V8 captures the stack),
   * and failing calls are exactly what a breaker sees most of during an incident. That is also why
   * `run`, this method and the method wrapper (see {@link SoloPolicy}) each repeat the few lines
   * that call the work.
   */
  override execute<T>(fn: Executable<T>, signal?: AbortSignal): Promise<T> {
    if (signal !== undefined) return super.execute(fn, signal);
    const start = this.enter();
    if (typeof start !== 'number') return Promise.reject(start);
    // The generation that admitted the call, read before `fn` runs (and may change the state).
    const gen = this.admittedGen;
    let result: unknown;
    try {
      // Nothing can cancel this call: `fn` gets the shared never-aborted signal and the first
      // attempt's context, both constants (reading `fn.length` to skip them would cost more).
      result = fn(NEVER_ABORTED, FIRST_ATTEMPT);
    } catch (error) {
      result = Promise.reject(error);
    }
    return this.track(asPromise(result), gen, start, NO_SCOPE, undefined) as Promise<T>;
  }

  /**
   * Admits a call (after the lazy transitions) and returns its start time — NaN when nothing needs
   * it: reading the clock is a good part of a closed call's cost — or the rejection. The start time
   * is read after the admission's events are delivered: however long a subscriber takes over them,
   * that time is not the call's.
   */
  private enter(): number | CircuitOpenError {
    const state = this.s;
    if (state.kind === 'closed' || state.kind === 'disabled') {
      this.admittedGen = state.gen;
      return this.config.timed || this.observed() ? this.clock().monotonic() : Number.NaN;
    }
    const clock = this.clock();
    const start = clock.monotonic();
    const outbox: Outbox = [];
    for (
      let t = lazyTransition(state, start, this.config);
      t !== undefined;
      t = lazyTransition(this.s, start, this.config)
    ) {
      this.apply(t, clock, outbox);
    }
    const current = this.s;
    const admission = admit(current, start, this.config);
    if (admission.kind === 'rejected') {
      this.rejectedCalls++;
      const error = circuitOpenError(this.name, admission.retryAfter);
      if (this.observed()) {
        this.pushEvent(outbox, {
          type: 'rejected',
          at: clock.now(),
          policy: 'circuitBreaker',
          name: this.name,
          state: current.kind,
          retryAfter: admission.retryAfter,
        });
      }
      publish(outbox);
      return error;
    }
    if (admission.kind === 'probe') this.s = admission.state;
    const gen = this.s.gen;
    if (outbox.length === 0) {
      this.admittedGen = gen;
      return start;
    }
    publish(outbox);
    this.admittedGen = gen;
    return clock.monotonic();
  }

  /**
   * Counts the admitted call's outcome when it settles, and passes the value or the same error on.
   * `ownBulkhead` is the bulkhead inside this breaker in the call's chain: only its rejections are
   * always ignored.
   */
  private track(
    promise: Promise<unknown>,
    gen: number,
    start: number,
    scope: Scope,
    ownBulkhead: object | undefined,
  ): Promise<unknown> {
    const onFailure = (error: unknown): never => {
      this.onSettled(gen, start, classifyError(error, scope.aborted, this.config.failurePredicate, ownBulkhead), error);
      throw error;
    };
    // An untimed call needs nothing but its generation on success, so the successes of one
    // generation share one handler (a closure less per call; one function more per breaker).
    if (start !== start) return promise.then(this.onSuccess(gen), onFailure);
    return promise.then((value) => {
      this.onSettled(gen, start, 'success', undefined);
      return value;
    }, onFailure);
  }

  private onSuccess(gen: number): (value: unknown) => unknown {
    if (this.successGen !== gen || this.successHandler === undefined) {
      this.successGen = gen;
      this.successHandler = (value) => {
        this.onSettled(gen, Number.NaN, 'success', undefined);
        return value;
      };
    }
    return this.successHandler;
  }

  snapshot(): CircuitBreakerSnapshot {
    const now = this.clock().monotonic();
    const rates = this.judge?.rates(now);
    const w = this.judge?.window;
    const state = this.s;
    return {
      name: this.name,
      state: state.kind,
      openedAt: this.openedAt,
      retryAfter:
        state.kind === 'open' ? Math.max(0, state.until - now) : state.kind === 'forced_open' ? Infinity : null,
      window: {
        calls: w?.calls ?? 0,
        failedCalls: w?.failures ?? 0,
        slowCalls: w?.slowCalls ?? 0,
        slowFailedCalls: w?.slowFailures ?? 0,
      },
      metrics: {
        totalCalls: this.successfulCalls + this.failedCalls + this.rejectedCalls + this.ignoredCalls,
        successfulCalls: this.successfulCalls,
        failedCalls: this.failedCalls,
        rejectedCalls: this.rejectedCalls,
        ignoredCalls: this.ignoredCalls,
        slowCalls: this.slowCalls,
        failureRate: rates?.failureRate ?? 0,
        slowCallRate: rates?.slowCallRate ?? 0,
        consecutiveFailures: this.consecutiveFailures,
        consecutiveSuccesses: this.consecutiveSuccesses,
        stateTransitions: this.stateTransitions,
      },
    };
  }

  get settings(): CircuitBreakerSettings {
    const c = this.config;
    return {
      failureThreshold: c.thresholdRule === undefined ? undefined : c.failureThreshold,
      failureWindow: c.failureWindow,
      failureRateThreshold: c.failureRateThreshold,
      slowCallDuration: c.slowCallDuration,
      slowCallRateThreshold: c.slowCallRateThreshold,
      slidingWindow: c.slidingWindow,
      minimumCalls: c.minimumCalls,
      resetTimeout: c.resetTimeout,
      halfOpenMaxCalls: c.halfOpenMaxCalls,
      successThreshold: c.successThreshold,
      halfOpenMaxWait: c.halfOpenMaxWait,
    };
  }

  saveState(): CircuitBreakerSavedState {
    const { s: state, openedAt, judge, consecutiveFailures } = this;
    return saveMemory({ state, openedAt, judge, consecutiveFailures }, this.config, this.clock());
  }

  dispose(): void {
    disposeBreaker(this);
  }

  forceOpen(): void {
    if (this.s.kind !== 'forced_open') this.change(transition(this.s, { kind: 'forced_open' }, 'forced_open'));
  }

  disable(): void {
    if (this.s.kind !== 'disabled') this.change(transition(this.s, { kind: 'disabled' }, 'disabled'));
  }

  reset(): void {
    const outbox: Outbox = [];
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
    this.successfulCalls = this.failedCalls = this.rejectedCalls = this.ignoredCalls = this.slowCalls = 0;
    this.consecutiveFailures = this.consecutiveSuccesses = this.stateTransitions = 0;
    publish(outbox);
  }

  private clock(): Clock {
    return this.config.clock ?? getClock();
  }

  private abandoned(gen: number): boolean {
    const s = this.s;
    return s.gen !== gen && (s.kind === 'open' || s.kind === 'forced_open' || s.kind === 'half_open');
  }

  private onSettled(gen: number, start: number, outcome: Outcome, error: unknown): void {
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
      this.successfulCalls++;
      this.consecutiveSuccesses++;
      this.consecutiveFailures = 0;
      (this.judge ??= new Judge(this.config)).record(false, false, start);
      return;
    }
    const clock = this.clock();
    let now = start === start ? clock.monotonic() : Number.NaN;
    const state = this.s;
    const outbox: Outbox = [];
    const observed = this.observed();
    // An outcome from an older generation (admitted before the latest state change) counts as ignored.
    if (outcome === 'ignored' || gen !== state.gen) {
      this.ignoredCalls++;
      if (observed) {
        const duration = now === now ? now - start : 0;
        this.pushEvent(outbox, {
          type: 'ignored',
          at: clock.now(),
          policy: 'circuitBreaker',
          name: this.name,
          error,
          duration,
        });
      }
      const freed =
        outcome === 'ignored' ? settle(state, gen, 'ignored', false, undefined, now, this.config) : undefined;
      if (freed !== undefined) this.s = freed.state;
      publish(outbox);
      return;
    }
    // Untimed only when no rule needs durations: a listener that subscribed mid-call sees 0.
    const duration = now === now ? now - start : 0;
    const slowAfter = this.config.slowCallDuration;
    const slow = slowAfter !== undefined && duration >= slowAfter;
    const failure = outcome === 'failure';
    if (slow) this.slowCalls++;
    if (failure) {
      this.failedCalls++;
      this.consecutiveFailures++;
      this.consecutiveSuccesses = 0;
    } else {
      this.successfulCalls++;
      this.consecutiveSuccesses++;
      this.consecutiveFailures = 0;
    }
    if (observed) {
      const at = clock.now();
      this.pushEvent(
        outbox,
        failure
          ? { type: 'failure', at, policy: 'circuitBreaker', name: this.name, duration, error }
          : { type: 'success', at, policy: 'circuitBreaker', name: this.name, duration },
      );
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
    publish(outbox);
  }

  private change(t: Transition): void {
    const outbox: Outbox = [];
    this.apply(t, this.clock(), outbox);
    publish(outbox);
  }

  /** Makes a transition current and queues its events; the caller publishes them once its step is done. */
  private apply(t: Transition, clock: Clock, outbox: Outbox): void {
    this.s = t.to;
    this.stateTransitions++;
    const to = t.to.kind;
    // One wall-clock reading for both the opening time and the event's timestamp.
    const at = to === 'open' || to === 'forced_open' ? (this.openedAt = clock.now()) : undefined;
    // A closed period judges only its own calls.
    if (to === 'closed') this.judge?.reset();
    queueStateChange(outbox, this.name, t, at ?? clock, this.stateChannel, this.eventChannel);
  }

  private observed(): boolean {
    return eventsObserved(this.eventChannel);
  }

  private pushEvent(outbox: Outbox, event: ResilienceEvent): void {
    queueEvent(outbox, event, this.eventChannel);
  }
}
