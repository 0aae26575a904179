/**
 * What a call can be cancelled by: the caller's AbortSignal, a timeout, or nothing.
 * Policies subscribe with {@link Scope.onAbort} and always call the returned disposer in `finally`,
 * so a long-lived caller signal never accumulates listeners. The `AbortSignal` handed to user code
 * is created only when user code can observe it ({@link Scope.signal}), and a call that nothing
 * can cancel shares {@link NEVER_ABORTED}.
 * @internal
 */
export interface Scope {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** False for the scope of a call that nothing can cancel: nothing to listen to, no async context. */
  readonly cancellable: boolean;
  /** The signal for user code; {@link NEVER_ABORTED} when nothing can cancel the call. */
  signal(): AbortSignal;
  /** Calls `listener` once when the scope aborts; returns the disposer. Never calls it after disposal. */
  onAbort(listener: (reason: unknown) => void): () => void;
}

const noop = (): void => undefined;

/**
 * The one signal every call that nothing can cancel receives: allocated once, never aborted.
 * It keeps no abort listener, since none could ever run: work that adds one per call (`fetch`
 * does, until its request is collected) would otherwise pile thousands onto this shared signal
 * and trip Node's MaxListenersExceededWarning, and an `abort` event dispatched on it by hand
 * cannot reach the listeners of other calls.
 * @internal
 */
export const NEVER_ABORTED: AbortSignal = neverAborted();

function neverAborted(): AbortSignal {
  const signal = new AbortController().signal;
  Object.defineProperty(signal, 'addEventListener', {
    value: function addEventListener(this: AbortSignal, ...args: Parameters<AbortSignal['addEventListener']>): void {
      if (args[0] !== 'abort') AbortSignal.prototype.addEventListener.apply(this, args);
    },
  });
  return signal;
}

/** The scope of a call with no signal and no timeout. @internal */
export const NO_SCOPE: Scope = {
  aborted: false,
  reason: undefined,
  cancellable: false,
  signal: () => NEVER_ABORTED,
  onAbort: () => noop,
};

interface SignalHub {
  readonly listeners: Set<(reason: unknown) => void>;
  readonly handler: () => void;
}

// One real listener per caller signal, however many calls share it: a long-lived signal (say, a
// server's shutdown signal passed to every call) would otherwise collect one listener per call in
// flight and trip Node's MaxListenersExceededWarning. The hub goes when its last listener does.
const hubs = new WeakMap<AbortSignal, SignalHub>();

function listen(signal: AbortSignal, listener: (reason: unknown) => void): () => void {
  let hub = hubs.get(signal);
  if (hub === undefined) {
    const listeners = new Set<(reason: unknown) => void>();
    const handler = (): void => {
      hubs.delete(signal);
      for (const l of listeners) l(signal.reason);
      listeners.clear();
    };
    hub = { listeners, handler };
    hubs.set(signal, hub);
    signal.addEventListener('abort', handler, { once: true });
  }
  const { listeners, handler } = hub;
  listeners.add(listener);
  return () => {
    if (!listeners.delete(listener) || listeners.size > 0) return;
    if (hubs.get(signal)?.listeners === listeners) hubs.delete(signal);
    signal.removeEventListener('abort', handler);
  };
}

/** The scope of a call whose caller passed an AbortSignal. @internal */
export class CallerScope implements Scope {
  readonly cancellable = true;
  constructor(private readonly callerSignal: AbortSignal) {}

  get aborted(): boolean {
    return this.callerSignal.aborted;
  }
  get reason(): unknown {
    return this.callerSignal.reason as unknown;
  }
  signal(): AbortSignal {
    return this.callerSignal;
  }
  onAbort(listener: (reason: unknown) => void): () => void {
    return listen(this.callerSignal, listener);
  }
}

/**
 * A child scope that aborts when its parent does or when {@link ChildScope.abort} is called
 * (a timeout). It links to the parent only while something listens or a signal exists, and
 * {@link ChildScope.dispose} unlinks it.
 * @internal
 */
export class ChildScope implements Scope {
  readonly cancellable = true;
  aborted = false;
  reason: unknown = undefined;
  private controller: AbortController | undefined;
  private listeners: Set<(reason: unknown) => void> | undefined;
  private unlinkParent: (() => void) | undefined;

  constructor(private readonly parent: Scope) {
    if (parent.aborted) {
      this.aborted = true;
      this.reason = parent.reason;
    }
  }

  signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
      else this.link();
    }
    return this.controller.signal;
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.aborted) return noop;
    (this.listeners ??= new Set()).add(listener);
    this.link();
    return () => this.listeners?.delete(listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.unlink();
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }

  dispose(): void {
    this.unlink();
    this.listeners = undefined;
  }

  private link(): void {
    if (this.unlinkParent === undefined && this.parent.cancellable) {
      this.unlinkParent = this.parent.onAbort((reason) => this.abort(reason));
    }
  }

  private unlink(): void {
    const unlink = this.unlinkParent;
    this.unlinkParent = undefined;
    unlink?.();
  }
}

/**
 * One instance of each per-call scope class, never used. At a full GC, V8 drops the hidden class
 * that no live object has any more and deoptimizes every function compiled against it; a scope only
 * lives while its call runs, so a process whose calls pause across a full GC (or a benchmark that
 * collects between samples) would recompile the whole call path after each one. Measured with
 * `--trace-deopt` over 60 full GCs between batches of sequential calls: 118 deopts ("embedded weak
 * objects cleared") without these, none with them.
 * @internal
 */
export const KEPT_SHAPES: readonly Scope[] = [new ChildScope(NO_SCOPE), new CallerScope(new AbortController().signal)];

/**
 * True when `value` is an AbortSignal (also one from another realm or polyfill).
 * @internal
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false;
  // A caller's last argument may be anything, a revoked Proxy included: not a signal, never a throw.
  try {
    if (value instanceof AbortSignal) return true;
    return (
      typeof (value as AbortSignal).aborted === 'boolean' &&
      typeof (value as AbortSignal).addEventListener === 'function' &&
      typeof (value as AbortSignal).removeEventListener === 'function'
    );
  } catch {
    return false;
  }
}
