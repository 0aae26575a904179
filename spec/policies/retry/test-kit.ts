export { deferred, flushMicrotasks, track, type Deferred } from '../../support/async.js';

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
