import type { Observable } from 'rxjs';
import { Channel } from '../../events/channel.js';
import type { CircuitState, CircuitStateChange, ResilienceEvent } from '../../events/types.js';
import { FIRST_ATTEMPT } from '../../runtime/attempt.js';
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
import type { Executable } from '../../runtime/policy.js';
import { NEVER_ABORTED, NO_SCOPE, type Scope } from '../../runtime/scope.js';
import type { CircuitOpenError } from '../../errors/circuit-open-error.js';
import { Circuit } from './circuit.js';
import { classifyError } from './classify.js';
import { metricsOf } from './counts.js';
import type { CircuitBreakerHandle, CircuitBreakerSettings, CircuitBreakerSnapshot } from './handle.js';
import type { CircuitBreakerSavedState } from './persistence/saved-state.js';
import { saveMemory } from './persistence/save.js';
import { disposeBreaker } from './registry-state.js';

/**
 * A circuit breaker: at once the engine's executor (`run`), the functional policy (`execute`), the
 * single-policy fast path of a decorated method (`admitAlone`, `settleAlone`) and the run-time
 * handle. Its circuit — state, counts, decisions — is `Circuit` (circuit.ts); this class connects
 * calls to it.
 * @internal
 */
export class CircuitBreakerPolicy extends Circuit implements PolicyExecutor, SoloPolicy, CircuitBreakerHandle {
  declare readonly kind: 'circuitBreaker';
  /** The success handler shared by the untimed calls of generation `successGen` (see `track`). */
  private successHandler: ((value: unknown) => unknown) | undefined;
  private successGen = 0;

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
    return this.proceed(call, next, inner, this.admittedGen, start);
  }

  /** Runs a call admitted in generation `gen` at `start` through the rest of its chain, and counts it. */
  protected proceed(call: Call, next: Step, inner: InnerLayers, gen: number, start: number): Promise<unknown> {
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
  get admitsSynchronously(): boolean {
    return true;
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
      metrics: metricsOf(this, rates?.failureRate ?? 0, rates?.slowCallRate ?? 0),
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
}
