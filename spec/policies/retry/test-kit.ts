/** A promise whose settlement the test controls. */
export interface Deferred<T> {
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

/** Observes a promise without awaiting it (and without leaving a rejection unhandled). */
export function track<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value: unknown } {
  const t: { state: 'pending' | 'resolved' | 'rejected'; value: unknown } = { state: 'pending', value: undefined };
  promise.then(
    (v) => Object.assign(t, { state: 'resolved', value: v }),
    (e: unknown) => Object.assign(t, { state: 'rejected', value: e }),
  );
  return t;
}

/** Lets every queued promise continuation run (no timers involved). */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** A function that fails `failures` times with fresh errors, then returns `value`. */
export function flaky<T>(failures: number, value: T): { fn: () => Promise<T>; errors: Error[]; calls: () => number } {
  const errors: Error[] = [];
  let calls = 0;
  return {
    fn: async () => {
      calls++;
      if (calls <= failures) {
        const error = new Error(`failure ${calls}`);
        errors.push(error);
        throw error;
      }
      return value;
    },
    errors,
    calls: () => calls,
  };
}
