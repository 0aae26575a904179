import { getClock } from '../../clock/clock.js';
import type { Call, PolicyExecutor, Step } from '../../runtime/call.js';
import { emitEvent } from '../../events/outbox.js';
import type { ResolvedFallbackOptions } from './options.js';
import { recorderOf, type SuccessRecorder } from './stale-result.js';

type HandlerFn = (this: unknown, error: unknown, ...args: unknown[]) => unknown;

/**
 * Gives the handler's error the original one as `cause` (opossum #196: the original error must not
 * be lost), replacing any cause it had. A handler that rethrows the original error passes it
 * through unchanged.
 * @internal
 */
export function withCause(handlerError: unknown, original: unknown): unknown {
  if (handlerError === original || typeof handlerError !== 'object' || handlerError === null) return handlerError;
  try {
    Object.defineProperty(handlerError, 'cause', {
      value: original,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  } catch {
    // A frozen error keeps its own shape; the caller still gets it.
  }
  return handlerError;
}

/**
 * The run-time half of a fallback: replaces a matching failure with the handler's result.
 * Never runs on a caller's abort.
 * @internal
 */
export class FallbackPolicy implements PolicyExecutor {
  readonly kind = 'fallback' as const;
  private readonly recorder: SuccessRecorder | undefined;

  constructor(
    /** A function, or a method name looked up on `this` at each call (so overrides apply). */
    private readonly handler: HandlerFn | string | symbol,
    private readonly options: ResolvedFallbackOptions,
    private readonly name: string,
  ) {
    this.recorder = recorderOf(handler);
  }

  run(call: Call, next: Step): Promise<unknown> {
    const onError = (error: unknown): Promise<unknown> => this.recover(call, error);
    const recorder = this.recorder;
    if (recorder === undefined) return next(call).then(undefined, onError);
    return next(call).then((value) => {
      try {
        recorder(call.thisArg, call.args, value);
      } catch {
        // A cache that cannot store (a throwing key function) must not fail a successful call.
      }
      return value;
    }, onError);
  }

  private recover(call: Call, error: unknown): Promise<unknown> {
    const on = this.options.on;
    if (call.scope.aborted || (on !== undefined && !matches(on, error))) return Promise.reject(error);
    emitEvent(() => ({ type: 'fallback', at: getClock().now(), policy: 'fallback', name: this.name, error }));
    let result: unknown;
    try {
      result = this.resolveHandler(call).call(call.thisArg, error, ...call.args);
    } catch (handlerError) {
      return Promise.reject(withCause(handlerError, error));
    }
    return Promise.resolve(result).then(undefined, (handlerError: unknown) =>
      Promise.reject(withCause(handlerError, error)),
    );
  }

  private resolveHandler(call: Call): HandlerFn {
    const handler = this.handler;
    if (typeof handler === 'function') return handler;
    const method = (call.thisArg as Record<string | symbol, unknown> | null | undefined)?.[handler];
    if (typeof method !== 'function') {
      throw new TypeError(
        `@Fallback on ${this.name}: this.${String(handler)} is not a function (was the method called without its object?)`,
      );
    }
    return method as HandlerFn;
  }
}

/** Asks the `on` filter; one that throws answers "no": the caller gets the original error, not the filter's bug. */
function matches(on: (error: unknown) => boolean, error: unknown): boolean {
  try {
    return on(error);
  } catch {
    return false;
  }
}
