import { getClock } from '../../clock/clock.js';
import { attemptContext } from '../../engine/attempt.js';
import { withContext, type Call, type PolicyExecutor, type Step } from '../../engine/call.js';
import { emitEvent, eventsObserved } from '../../events/emit.js';
import { nextDelay } from './backoff.js';
import type { ResolvedRetryOptions } from './options.js';
import { sleep } from './sleep.js';

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * The run-time half of a retry: runs `next` up to `maxAttempts` times. The first attempt costs one
 * promise hop; the loop (an async function) only starts once an attempt has failed. Each retry
 * runs with its own {@link attemptContext} (the first attempt shares one constant), and running
 * out of attempts emits `retry_exhausted`.
 * @internal
 */
export class RetryExecutor implements PolicyExecutor {
  readonly kind = 'retry' as const;

  constructor(
    private readonly options: ResolvedRetryOptions,
    /** Event name: `Class.method`, or `'retry'` for an unnamed functional policy. */
    private readonly name: string,
  ) {}

  run(call: Call, next: Step): Promise<unknown> {
    if (this.options.maxAttempts === 1) return eventsObserved() ? this.single(call, next) : next(call);
    const onError = (error: unknown): Promise<unknown> => this.retryLoop(call, next, { ok: false, error });
    const check = this.options.retryOnResult;
    if (check === undefined) return next(call).then(undefined, onError);
    return next(call).then(
      (value) => (asks(check, value) ? this.retryLoop(call, next, { ok: true, value }) : value),
      onError,
    );
  }

  /** `maxAttempts: 1` with someone listening: the one attempt that would have been retried is also the last. */
  private single(call: Call, next: Step): Promise<unknown> {
    const check = this.options.retryOnResult;
    return next(call).then(
      (value) => {
        if (check !== undefined && asks(check, value)) this.emitExhausted(1, { ok: true, value });
        return value;
      },
      (error: unknown) => {
        if (!call.scope.aborted && asks(this.options.retryOn, error)) this.emitExhausted(1, { ok: false, error });
        throw error;
      },
    );
  }

  private async retryLoop(call: Call, next: Step, first: Outcome): Promise<unknown> {
    const o = this.options;
    let outcome = first;
    let previousDelay = o.delay;
    for (let attempt = 1; ; attempt++) {
      // `attempt` attempts have run; decide whether another may.
      if (!outcome.ok && (call.scope.aborted || !asks(o.retryOn, outcome.error))) throw outcome.error;
      if (attempt >= o.maxAttempts) {
        this.emitExhausted(attempt, outcome);
        return settle(outcome);
      }
      if (call.abandoned?.() === true) return settle(outcome);
      const delay = nextDelay(o, attempt, outcome.ok ? undefined : outcome.error, previousDelay, o.random);
      previousDelay = delay;
      this.emitRetry(attempt, delay, outcome);
      if (delay > 0) await sleep(o.clock ?? getClock(), delay, call.scope);
      else if (call.scope.aborted) throw call.scope.reason;
      // An outer breaker may have opened while we slept: no further attempt, the last outcome stands.
      if (call.abandoned?.() === true) return settle(outcome);
      outcome = await next(withContext(call, attemptContext(attempt + 1))).then(succeeded, failed);
      if (outcome.ok && (o.retryOnResult === undefined || !asks(o.retryOnResult, outcome.value))) return outcome.value;
    }
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

function settle(outcome: Outcome): unknown {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
