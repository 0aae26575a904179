/**
 * The five kinds of policy, by the names used in {@link DEFAULT_POLICY_ORDER} and in events.
 * @category Composition
 */
export type PolicyKind = 'fallback' | 'circuitBreaker' | 'retry' | 'timeout' | 'bulkhead';

/**
 * The composition order, outermost first: one logical call (with all its retries) is one
 * breaker outcome; the timeout applies per attempt and includes the bulkhead queue wait.
 *
 * @example
 * ```ts
 * console.log(DEFAULT_POLICY_ORDER); // ['fallback', 'circuitBreaker', 'retry', 'timeout', 'bulkhead']
 * ```
 * @category Composition
 */
export const DEFAULT_POLICY_ORDER: readonly PolicyKind[] = Object.freeze([
  'fallback',
  'circuitBreaker',
  'retry',
  'timeout',
  'bulkhead',
] as const);

/** @internal */
export function isPolicyKind(value: unknown): value is PolicyKind {
  return typeof value === 'string' && (DEFAULT_POLICY_ORDER as readonly string[]).includes(value);
}
