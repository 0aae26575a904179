import { clockExpected, isClock, MAX_TIMER_MS } from '../clock/clock.js';
import { PolicyConfigError, type ConfigIssue } from '../errors/policy-config-error.js';

export { MAX_TIMER_MS };

/**
 * Collects every invalid option of one policy, then throws them all in one
 * {@link PolicyConfigError}. `Number.isFinite` first, so NaN and ±Infinity never slip through a
 * range check.
 * @internal
 */
export class OptionsValidator {
  private readonly issues: ConfigIssue[] = [];

  constructor(private readonly where: string) {}

  /**
   * Records an issue. A field gets one issue at most: the first (a getter that threw, say) is
   * the one to fix, and a later check of the same field could only repeat it.
   * @param message - a sentence replacing `<field> must be <expected> (got <value>)` in the error's message.
   */
  fail(field: string, value: unknown, expected: string, message?: string): void {
    if (this.failed(field)) return;
    this.issues.push(message === undefined ? { field, value, expected } : { field, value, expected, message });
  }

  /** True when `field` already has an issue. */
  failed(field: string): boolean {
    return this.issues.some((issue) => issue.field === field);
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

  /**
   * Records an issue unless `value` is a clock (or `undefined`, when optional).
   * @param timers - whether the policy schedules work with it (`setTimeout`, `clearTimeout`).
   */
  clock(field: string, value: unknown, timers: boolean): void {
    if (value !== undefined && !isClock(value, timers)) this.fail(field, value, clockExpected(timers));
  }

  /** Throws one {@link PolicyConfigError} listing every issue, if there is any. */
  done(): void {
    if (this.issues.length > 0) throw new PolicyConfigError(this.where, this.issues);
  }
}
