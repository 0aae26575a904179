import { PolicyConfigError, type ConfigIssue } from '../errors/policy-config-error.js';

/** Node turns a timer above this into 1 ms; no duration may exceed it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Collects every invalid option of one policy, then throws them all in one
 * {@link PolicyConfigError}. `Number.isFinite` first, so NaN and ±Infinity never slip through a
 * range check.
 * @internal
 */
export class OptionsValidator {
  private readonly issues: ConfigIssue[] = [];

  constructor(private readonly where: string) {}

  fail(field: string, value: unknown, expected: string): void {
    this.issues.push({ field, value, expected });
  }

  /** An integer in [min, max]; `undefined` passes when `optional`. */
  integer(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER, optional = false): void {
    if (value === undefined && optional) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(
        field,
        value,
        max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`,
      );
    }
  }

  /** A duration in ms: a finite number in [min, 2^31-1]. */
  duration(field: string, value: unknown, min = 0, optional = false): void {
    if (value === undefined && optional) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
      this.fail(field, value, `a number of milliseconds from ${min} to ${MAX_TIMER_MS}`);
    }
  }

  /** A finite number in (min, max] or [min, max]. */
  number(field: string, value: unknown, min: number, max: number, minExclusive: boolean, optional = false): void {
    if (value === undefined && optional) return;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (minExclusive ? value > min : value >= min) &&
      value <= max;
    if (!ok) this.fail(field, value, `a number in ${minExclusive ? '(' : '['}${min}, ${max}]`);
  }

  /** A rate in (0, 1]. */
  rate(field: string, value: unknown, optional = false): void {
    this.number(field, value, 0, 1, true, optional);
  }

  oneOf(field: string, value: unknown, allowed: readonly string[], optional = false): void {
    if (value === undefined && optional) return;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.fail(field, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
    }
  }

  func(field: string, value: unknown, optional = false): void {
    if (value === undefined && optional) return;
    if (typeof value !== 'function') this.fail(field, value, 'a function');
  }

  string(field: string, value: unknown, optional = false): void {
    if (value === undefined && optional) return;
    if (typeof value !== 'string' || value.length === 0) this.fail(field, value, 'a non-empty string');
  }

  /** An array of error classes, or a predicate function. */
  errorFilter(field: string, value: unknown, optional = false): void {
    if (value === undefined && optional) return;
    if (typeof value === 'function') return;
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'function')) {
      this.fail(field, value, 'a non-empty array of error classes or a predicate function');
    }
  }

  /** Rejects keys the policy does not know: a typo must not pass silently. */
  knownKeys(options: object, known: readonly string[]): void {
    for (const key of Object.keys(options)) {
      if (!known.includes(key))
        this.fail(key, (options as Record<string, unknown>)[key], `one of the known options (${known.join(', ')})`);
    }
  }

  /** Throws one {@link PolicyConfigError} listing every issue, if there is any. */
  done(): void {
    if (this.issues.length > 0) throw new PolicyConfigError(this.where, this.issues);
  }
}

/**
 * Checks that `options` is a plain object (or undefined) and returns it as a record.
 * @internal
 */
export function optionsObject(where: string, options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PolicyConfigError(where, [{ field: 'options', value: options, expected: 'an object' }]);
  }
  return options as Record<string, unknown>;
}
