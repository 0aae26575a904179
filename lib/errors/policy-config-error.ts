import { brandOf, ResilienceError } from './resilience-error.js';

/**
 * One invalid option: which field, the value given, and what is allowed.
 * @category Errors
 */
export interface ConfigIssue {
  /** The option's path, e.g. `'slidingWindow.size'`. */
  readonly field: string;
  /** The value that was given. */
  readonly value: unknown;
  /** What is allowed, e.g. `'an integer ≥ 1'`. */
  readonly expected: string;
  /**
   * The issue as a sentence, when it is not about a bad value (a getter that throws, a decorator
   * declared twice): the error's message shows it instead of `<field> must be <expected> (got <value>)`.
   */
  readonly message?: string;
}

/**
 * Shows a value in a message. Never throws: the value may be a hostile one (a revoked Proxy, a
 * function whose `name` getter throws), and the message must still be built.
 * @internal
 */
export function describeValue(value: unknown): string {
  try {
    return describe(value);
  } catch {
    return '[a value that cannot be shown]';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(describeValue).join(', ');
    return `[${shown}${value.length > 8 ? `, … ${value.length - 8} more` : ''}]`;
  }
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return '[object]';
    }
  }
  return String(value);
}

/**
 * Thrown when policy options are invalid — at class definition for decorators, at creation for
 * the functional API. It lists every bad field at once.
 *
 * @example
 * ```ts
 * try { circuitBreaker({ failureThreshold: 0 }); } catch (e) {
 *   if (isPolicyConfigError(e)) console.error(e.issues); // [{ field: 'failureThreshold', value: 0, expected: 'an integer ≥ 1' }]
 * }
 * ```
 * @category Errors
 */
export class PolicyConfigError extends ResilienceError {
  /** The `code` of every instance, for comparisons without an instance. */
  static readonly CODE = 'ERR_POLICY_CONFIG';
  override readonly code = 'ERR_POLICY_CONFIG';

  /**
   * @param where - what was being configured, e.g. `'@CircuitBreaker on PaymentClient.charge'`.
   * @param issues - every invalid field.
   */
  constructor(
    readonly where: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `Invalid options for ${where}: ` +
        issues.map((i) => i.message ?? `${i.field} must be ${i.expected} (got ${describeValue(i.value)})`).join('; '),
      'ERR_POLICY_CONFIG',
    );
  }
}

/**
 * True when `error` is a {@link PolicyConfigError}, from this copy of the package or another.
 *
 * @param error - anything caught.
 * @returns whether `error` is a `PolicyConfigError` (and narrows its type).
 * @example
 * ```ts
 * expect(isPolicyConfigError(caught)).toBe(true);
 * ```
 * @category Errors
 */
export function isPolicyConfigError(error: unknown): error is PolicyConfigError {
  return brandOf(error) === PolicyConfigError.CODE;
}
