/** Promise helpers shared by the specs: a deferred, a settlement tracker, and the two flushes. */

/** A promise whose settlement the test controls. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Records how a promise settled without awaiting it (and without leaving a rejection unhandled). */
export function track<T>(promise: Promise<T>): {
  readonly state: 'pending' | 'resolved' | 'rejected';
  readonly value: unknown;
} {
  const box: { state: 'pending' | 'resolved' | 'rejected'; value: unknown } = { state: 'pending', value: undefined };
  promise.then(
    (value) => {
      box.state = 'resolved';
      box.value = value;
    },
    (error: unknown) => {
      box.state = 'rejected';
      box.value = error;
    },
  );
  return box;
}

/** Lets every pending promise reaction run: microtasks only, so it works under jest's fake timers. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/**
 * Waits one turn of the event loop (`setImmediate`): every promise reaction and every error reported
 * through one has run by then. Uses a real timer: not under jest's fake timers.
 */
export function flushMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The reason `promise` rejects with, boxed: resolving a promise with a revoked Proxy would read its
 * `then` and throw, so neither `.catch((e) => e)` nor an async function can hand such a value back.
 */
export async function reasonOf(promise: Promise<unknown>): Promise<{ reason?: unknown }> {
  const box: { reason?: unknown } = {};
  await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => {
      box.reason = reason;
    },
  );
  return box;
}
