import type { OptionsValidator } from '../../../config/validator.js';

/** A saved state's object, read once: its own enumerable fields. @internal */
export type Raw = Readonly<Record<string, unknown>>;

// The largest time a Date can hold.
const MAX_EPOCH = 8.64e15;
const EPOCH = `an epoch time in ms (a number from 0 to ${MAX_EPOCH})`;

/** True for an epoch time in ms that a Date can hold (NaN fails every comparison). @internal */
export function isEpoch(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_EPOCH;
}

/**
 * Reports problems of `initialState.*` fields on the options' validator, and remembers whether it
 * reported any.
 * @internal
 */
export class Checker {
  found = false;

  constructor(private readonly v: OptionsValidator) {}

  fail(field: string, value: unknown, expected: string): void {
    this.found = true;
    this.v.fail(field === '' ? 'initialState' : `initialState.${field}`, value, expected);
  }

  /**
   * The own enumerable fields of `value`, each read exactly once (a getter cannot give validation
   * one value and the breaker another), or `undefined` (reported) when it is no object or a read
   * throws.
   */
  plain(field: string, value: unknown, expected: string): Raw | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(field, value, expected);
      return undefined;
    }
    try {
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) copy[key] = (value as Raw)[key];
      return copy;
    } catch (error) {
      this.fail(field, value, `${expected}, whose fields can be read (reading one threw ${String(error)})`);
      return undefined;
    }
  }

  /** The elements of an array, each read once, or `undefined` (not reported) for anything else. */
  list(value: unknown): unknown[] | undefined {
    if (!Array.isArray(value)) return undefined;
    try {
      return [...(value as unknown[])];
    } catch {
      return undefined;
    }
  }

  epoch(field: string, value: unknown): void {
    if (!isEpoch(value)) this.fail(field, value, EPOCH);
  }

  /** An integer in [min, max]; `note` says why the range is what it is. */
  count(field: string, value: unknown, min: number, max: number, note = ''): void {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return;
    const range = min === max ? `${min}` : max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    this.fail(field, value, `an integer ${range}${note}`);
  }

  nullFor(field: string, value: unknown, state: string): void {
    if (value !== null) this.fail(field, value, `null unless the state is '${state}'`);
  }
}
