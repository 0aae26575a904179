/**
 * What a functional `fn` learns about the attempt it runs in, as its second argument.
 *
 * @example
 * ```ts
 * const policy = retry({ maxAttempts: 3 });
 * await policy.execute((signal, { attempt }) => fetch(url, { signal, headers: { 'x-attempt': String(attempt) } }));
 * ```
 * @category Composition
 */
export interface AttemptContext {
  /** Which attempt this is: 1 for the first, 2 for the first retry, … (always 1 without a retry policy). */
  readonly attempt: number;
}

/**
 * The context of every first attempt: one shared object, so a call that is never retried
 * allocates nothing for it.
 * @internal
 */
export const FIRST_ATTEMPT: AttemptContext = Object.freeze({ attempt: 1 });

/**
 * The context of attempt `n` (from 1).
 * @internal
 */
export function attemptContext(n: number): AttemptContext {
  return n === 1 ? FIRST_ATTEMPT : Object.freeze({ attempt: n });
}
