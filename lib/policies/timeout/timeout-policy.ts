import { getClock, type Clock } from '../../clock/clock.js';
import { withScope, type Call, type PolicyExecutor, type Step } from '../../runtime/call.js';
import { ChildScope } from '../../runtime/scope.js';
import { TimeoutError } from '../../errors/timeout-error.js';
import { emitEvent } from '../../events/outbox.js';
import { globalEvents } from '../../events/streams.js';
import type { ResolvedTimeoutOptions } from './options.js';

/**
 * The run-time timeout: each attempt gets its own child scope and timer. When the timer fires the
 * attempt rejects at once with a {@link TimeoutError} and its scope aborts with that error (the
 * method's signal, queued bulkhead waiters); the work itself is not awaited, and its late outcome
 * is consumed so it never surfaces as an unhandled rejection.
 * @internal
 */
export class TimeoutPolicy implements PolicyExecutor {
  readonly kind = 'timeout' as const;
  readonly duration: number;

  constructor(
    readonly name: string,
    private readonly options: ResolvedTimeoutOptions,
  ) {
    this.duration = options.duration;
  }

  run(call: Call, next: Step): Promise<unknown> {
    const parent = call.scope;
    if (parent.aborted) return Promise.reject(parent.reason);
    const clock: Clock = this.options.clock ?? getClock();
    const child = new ChildScope(parent);
    // Only while someone listens is the attempt timed, for its `timeout_outcome` (NaN: not timed).
    const start = globalEvents.observed ? clock.monotonic() : Number.NaN;
    // Set once the attempt has settled (deadline, caller abort or the work): later news is not the outcome.
    let done = false;
    return new Promise<unknown>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        done = true;
        const error = new TimeoutError(this.duration, this.name);
        this.emitTimeout(clock);
        reject(error);
        child.abort(error);
      }, this.duration);
      // A caller abort ends the attempt at once too: the timer goes now, not when the work settles.
      if (parent.cancellable) {
        child.onAbort((reason) => {
          clock.clearTimeout(timer);
          if (!done && start === start) this.emitOutcome(clock, start, 'failure', reason);
          done = true;
          reject(reason);
        });
      }
      let inner: Promise<unknown>;
      try {
        inner = next(withScope(call, child));
      } catch (error) {
        inner = Promise.reject(error);
      }
      inner.then(
        (value) => {
          clock.clearTimeout(timer);
          child.dispose();
          if (!done && start === start) this.emitOutcome(clock, start, 'success', undefined);
          done = true;
          resolve(value);
        },
        (error: unknown) => {
          clock.clearTimeout(timer);
          child.dispose();
          if (!done && start === start) this.emitOutcome(clock, start, 'failure', error);
          done = true;
          reject(error);
        },
      );
    });
  }

  private emitOutcome(clock: Clock, start: number, outcome: 'success' | 'failure', error: unknown): void {
    emitEvent(() => ({
      type: 'timeout_outcome',
      at: clock.now(),
      policy: 'timeout',
      name: this.name,
      outcome,
      duration: clock.monotonic() - start,
      ...(outcome === 'failure' ? { error } : {}),
    }));
  }

  private emitTimeout(clock: Clock): void {
    emitEvent(() => ({
      type: 'timeout',
      at: clock.now(),
      policy: 'timeout',
      name: this.name,
      duration: this.duration,
    }));
  }
}
