import { describeValue } from '../errors/policy-config-error.js';
import type { ErrorFilter } from './error-filter.js';
import type { OptionsValidator } from './validator.js';

/** The options of one policy as read once: every known option, `undefined` when absent. @internal */
export type OptionsSnapshot<K extends string> = { readonly [P in K]?: unknown };

const NO_OPTIONS: OptionsSnapshot<never> = Object.freeze({});

/**
 * Reads a policy's options exactly once into a plain snapshot, which is all that is validated and
 * used afterwards: a getter is called once, so it cannot pass validation with one value and run
 * with another. Options are read like any property, own or inherited (a class instance with
 * getters, `Object.create(defaults)`). A getter that throws, and an enumerable key the policy does
 * not know (own or inherited: a typo must not pass silently), are recorded on `v` naming the field.
 *
 * @param v - collects the issues; `undefined` options give an empty snapshot.
 * @param input - the options as the user gave them.
 * @param known - every option the policy has.
 * @throws PolicyConfigError (through `v`, with every issue so far) when `input` is not an object.
 * @internal
 */
export function readOptions<K extends string>(
  v: OptionsValidator,
  input: unknown,
  known: readonly K[],
): OptionsSnapshot<K> {
  if (input === undefined) return NO_OPTIONS;
  if (!isOptionsObject(input)) {
    v.fail('options', input, 'an object');
    v.done();
  }
  return readFields(v, input as object, known, '');
}

/**
 * {@link readOptions} for an object already known to be one (a nested option such as
 * `slidingWindow`); `prefix` names it in issues (`'slidingWindow.'`).
 * @internal
 */
export function readFields<K extends string>(
  v: OptionsValidator,
  input: object,
  known: readonly K[],
  prefix: string,
): OptionsSnapshot<K> {
  reportUnknownKeys(v, input, known, prefix);
  const snapshot: { [P in K]?: unknown } = {};
  for (const key of known) {
    try {
      snapshot[key] = (input as Record<K, unknown>)[key];
    } catch (error) {
      const field = prefix + key;
      v.fail(
        field,
        undefined,
        'a value that can be read',
        `${field} could not be read: reading it threw ${thrown(error)}`,
      );
    }
  }
  return snapshot;
}

/** True for a value that can hold options: an object that is not null nor an array. @internal */
export function isOptionsObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return !Array.isArray(value);
  } catch {
    return false; // a revoked Proxy
  }
}

function reportUnknownKeys(v: OptionsValidator, input: object, known: readonly string[], prefix: string): void {
  const unknown: string[] = [];
  try {
    // Own and inherited enumerable keys, as a spread of defaults would see them. Keys that every
    // object inherits (a polyfill's enumerable addition to Object.prototype) are not the user's.
    for (const key in input) if (!known.includes(key) && !(key in Object.prototype)) unknown.push(key);
  } catch (error) {
    v.fail(
      `${prefix}options`,
      undefined,
      'an object whose keys can be listed',
      `the options could not be listed: ${thrown(error)}`,
    );
    return;
  }
  for (const key of unknown) {
    const field = prefix + key;
    let value: unknown;
    try {
      value = (input as Record<string, unknown>)[key];
    } catch {
      value = undefined;
    }
    const guess = closest(key, known);
    const hint = guess === undefined ? `; the options are ${known.join(', ')}` : `: did you mean ${prefix + guess}?`;
    v.fail(
      field,
      value,
      `one of the known options (${known.join(', ')})`,
      `${field} is not an option (got ${describeValue(value)})${hint}`,
    );
  }
}

/** The known option a typo most likely meant: same letters in another case, or at most 2 edits away (3 for long names). */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance && d <= (candidate.length >= 12 ? 3 : 2)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Describes what a getter or trap threw, without letting a hostile value throw again. */
function thrown(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
  } catch {
    // fall through
  }
  return describeValue(error);
}

// Error classes are matched with `instanceof`; more than this in one list is a mistake, not a filter.
const MAX_ERROR_CLASSES = 1_000;
const PROBE = Object.freeze({});

/**
 * Reads an error filter once: a predicate as is, or an array of error classes copied entry by
 * entry (later changes to the user's array change nothing). Every entry must be usable with
 * `instanceof`: an arrow function, a predicate put in the array, a non-function or an empty slot
 * is reported by index (`retryOn[0]`) — it would otherwise make `instanceof` throw on every error
 * and the policy silently never act.
 *
 * @param v - collects the issues.
 * @param field - the option's name, e.g. `'retryOn'`.
 * @param value - the option's value, read once already.
 * @returns the filter to use (`undefined` when absent or invalid).
 * @internal
 */
export function readErrorFilter(v: OptionsValidator, field: string, value: unknown): ErrorFilter | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as (error: unknown) => boolean;
  const expected = 'a non-empty array of error classes or a predicate function';
  let list: readonly unknown[];
  let length: number;
  try {
    if (!Array.isArray(value)) throw new TypeError('not an array');
    list = value as readonly unknown[];
    length = list.length;
  } catch {
    v.fail(field, value, expected);
    return undefined;
  }
  if (length === 0 || length > MAX_ERROR_CLASSES) {
    v.fail(field, value, length === 0 ? expected : `an array of at most ${MAX_ERROR_CLASSES} error classes`);
    return undefined;
  }
  const classes: unknown[] = [];
  try {
    for (let i = 0; i < length; i++) {
      const at = `${field}[${i}]`;
      if (!(i in list)) {
        v.fail(
          at,
          undefined,
          'an error class',
          `${at} is an empty slot (a hole in the array): every entry must be an error class`,
        );
        continue;
      }
      const entry = list[i];
      if (isErrorClass(entry)) classes.push(entry);
      else v.fail(at, entry, 'an error class, usable with instanceof (a predicate is passed alone, not in an array)');
    }
  } catch (error) {
    v.fail(field, undefined, expected, `${field} could not be read: reading it threw ${thrown(error)}`);
    return undefined;
  }
  return classes.length === length ? (Object.freeze(classes) as ErrorFilter) : undefined;
}

/** A function `instanceof` accepts on its right: a class, or an object with `Symbol.hasInstance`. */
function isErrorClass(value: unknown): boolean {
  if (typeof value !== 'function') return false;
  try {
    // An arrow function, an async function or a method has no prototype: instanceof throws.
    void (PROBE instanceof value);
    return true;
  } catch {
    return false;
  }
}
