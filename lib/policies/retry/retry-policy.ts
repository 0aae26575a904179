import { getClock, type Clock } from '../../clock/clock.js';
import { attemptContext } from '../../runtime/attempt.js';
import { withContext, type Call, type PolicyExecutor, type Step } from '../../runtime/call.js';
import { emitEvent, eventsObserved } from '../../events/outbox.js';
import { nextDelay } from './backoff.js';
import type { ResolvedRetryOptions } from './options.js';
import { sleep } from './sleep.js';

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * The run-time half of a retry: runs `next` up to `maxAttempts` times. The first attempt costs one
 * promise hop; the loop (an async function) only starts once an attempt has failed. Each retry
 * runs with its own {@link attemptContext} (the first attempt shares one constant). Running out of
 * attempts emits `retry_exhausted`; while someone listens, every call also ends with one
 * `retry_outcome` (what metric exporters count).
 * @internal
 */
export class RetryPolicy implements PolicyExecutor {
  readonly kind = 'retry' as const;

  constructor(
    private readonly options: ResolvedRetryOptions,
    /** Event name: `Class.method`, or `'retry'` for an unnamed functional policy. */
    private readonly name: string,
  ) {}

  run(call: Call, next: Step): Promise<unknown> {
    // Only while someone listens does a call pay for counting its attempts.
    if (eventsObserved()) return this.observedRun(call, next);
    return this.attempt(call, next, undefined);
  }

  private attempt(call: Call, next: Step, tally: Tally | undefined): Promise<unknown> {
    if (this.options.maxAttempts === 1) return tally === undefined ? next(call) : this.single(call, next, tally);
    const onError = (error: unknown): Promise<unknown> => this.retryLoop(call, next, { ok: false, error }, tally);
    const check = this.options.retryOnResult;
    if (check === undefined) return next(call).then(undefined, onError);
    return next(call).then(
      (value) => (asks(check, value) ? this.retryLoop(call, next, { ok: true, value }, tally) : value),
      onError,
    );
  }

  /** `maxAttempts: 1` with someone listening: the one attempt that would have been retried is also the last. */
  private single(call: Call, next: Step, tally: Tally): Promise<unknown> {
    const check = this.options.retryOnResult;
    return next(call).then(
      (value) => {
        if (check !== undefined && asks(check, value)) {
          tally.exhausted = true;
          this.emitExhausted(1, { ok: true, value });
        }
        return value;
      },
      (error: unknown) => {
        if (!call.scope.aborted && asks(this.options.retryOn, error)) this.emitExhausted(1, { ok: false, error });
        throw error;
      },
    );
  }

  /** The same call, counting attempts, then publishing one `retry_outcome` when it settles. */
  private observedRun(call: Call, next: Step): Promise<unknown> {
    const clock = this.options.clock ?? getClock();
    const start = clock.monotonic();
    const tally: Tally = { attempts: 0, exhausted: false };
    const counted: Step = (c) => {
      tally.attempts++;
      return next(c);
    };
    return this.attempt(call, counted, tally).then(
      (value) => {
        this.emitOutcome(clock, start, tally, tally.exhausted ? 'failure' : 'success', undefined);
        return value;
      },
      (error: unknown) => {
        this.emitOutcome(clock, start, tally, 'failure', error);
        throw error;
      },
    );
  }

  private async retryLoop(call: Call, next: Step, first: Outcome, tally: Tally | undefined): Promise<unknown> {
    const o = this.options;
    let outcome = first;
    let previousDelay = o.delay;
    for (let attempt = 1; ; attempt++) {
      // `attempt` attempts have run; decide whether another may.
      if (!outcome.ok && (call.scope.aborted || !asks(o.retryOn, outcome.error))) throw outcome.error;
      if (attempt >= o.maxAttempts) {
        this.emitExhausted(attempt, outcome);
        return settle(outcome, tally);
      }
      if (call.abandoned?.() === true) return settle(outcome, tally);
      const delay = nextDelay(o, attempt, outcome.ok ? undefined : outcome.error, previousDelay, o.random);
      previousDelay = delay;
      this.emitRetry(attempt, delay, outcome);
      if (delay > 0) await sleep(o.clock ?? getClock(), delay, call.scope);
      else if (call.scope.aborted) throw call.scope.reason;
      // An outer breaker may have opened while we slept: no further attempt, the last outcome stands.
      if (call.abandoned?.() === true) return settle(outcome, tally);
      outcome = await next(withContext(call, attemptContext(attempt + 1))).then(succeeded, failed);
      if (outcome.ok && (o.retryOnResult === undefined || !asks(o.retryOnResult, outcome.value))) return outcome.value;
    }
  }

  private emitOutcome(clock: Clock, start: number, tally: Tally, outcome: 'success' | 'failure', error: unknown): void {
    emitEvent(() => ({
      type: 'retry_outcome',
      at: clock.now(),
      policy: 'retry',
      name: this.name,
      outcome,
      attempts: tally.attempts,
      duration: clock.monotonic() - start,
      ...(outcome === 'failure' && !tally.exhausted ? { error } : {}),
    }));
  }

  private emitRetry(attempt: number, delay: number, outcome: Outcome): void {
    emitEvent(() => ({
      type: 'retry',
      at: (this.options.clock ?? getClock()).now(),
      policy: 'retry',
      name: this.name,
      attempt,
      delay,
      ...(outcome.ok ? { result: outcome.value } : { error: outcome.error }),
    }));
  }

  /** Attempts ran out on an outcome that would otherwise have been retried. */
  private emitExhausted(attempts: number, outcome: Outcome): void {
    emitEvent(() => {
      const at = (this.options.clock ?? getClock()).now();
      return outcome.ok
        ? {
            type: 'retry_exhausted',
            at,
            policy: 'retry',
            name: this.name,
            attempts,
            outcome: 'result',
            result: outcome.value,
          }
        : {
            type: 'retry_exhausted',
            at,
            policy: 'retry',
            name: this.name,
            attempts,
            outcome: 'error',
            error: outcome.error,
          };
    });
  }
}

/**
 * Asks a user predicate whether to retry. One that throws answers "no": the call's own outcome
 * (the last error, unchanged, or the last result) must reach the caller, not the predicate's bug.
 */
function asks(predicate: (value: unknown) => boolean, value: unknown): boolean {
  try {
    return predicate(value);
  } catch {
    return false;
  }
}

const succeeded = (value: unknown): Outcome => ({ ok: true, value });
const failed = (error: unknown): Outcome => ({ ok: false, error });

/** What an observed call counts: attempts made, and whether it ended on a result `retryOnResult` rejected. */
interface Tally {
  attempts: number;
  exhausted: boolean;
}

function settle(outcome: Outcome, tally: Tally | undefined): unknown {
  if (!outcome.ok) throw outcome.error;
  if (tally !== undefined) tally.exhausted = true;
  return outcome.value;
}
