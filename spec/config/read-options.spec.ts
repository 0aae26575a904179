import { readErrorFilter, readOptions } from '../../lib/config/read-options.js';
import { OptionsValidator } from '../../lib/config/validator.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../lib/errors/policy-config-error.js';

/** Runs `fill`, then returns the error `done()` throws (or undefined). */
function errorOf(fill: (v: OptionsValidator) => void): PolicyConfigError | undefined {
  const v = new OptionsValidator('test()');
  try {
    fill(v);
    v.done();
  } catch (error) {
    expect(isPolicyConfigError(error)).toBe(true);
    return error as PolicyConfigError;
  }
  return undefined;
}

/** An object whose option reads are counted (and whose values may change on each read). */
function counting(values: Record<string, unknown[]>): { options: object; reads: Record<string, number> } {
  const reads: Record<string, number> = {};
  const options = {};
  for (const [key, sequence] of Object.entries(values)) {
    Object.defineProperty(options, key, {
      enumerable: true,
      get: () => {
        const n = (reads[key] = (reads[key] ?? 0) + 1);
        return sequence[Math.min(n, sequence.length) - 1];
      },
    });
  }
  return { options, reads };
}

describe('readOptions', () => {
  const KNOWN = ['size', 'name', 'clock'] as const;

  it('reads every known option exactly once, absent ones as undefined', () => {
    const { options, reads } = counting({ size: [1, 2, 3], name: ['a', 'b'] });
    let snapshot: object | undefined;
    expect(errorOf((v) => (snapshot = readOptions(v, options, KNOWN)))).toBeUndefined();
    expect(snapshot).toEqual({ size: 1, name: 'a', clock: undefined });
    expect(reads).toEqual({ size: 1, name: 1 });
  });

  it('reads inherited options like any property: Object.create(defaults) and class getters', () => {
    class Settings {
      private readonly base = 4;
      get size(): number {
        return this.base * 2;
      }
      describe(): string {
        return 'not an option, and not enumerable';
      }
    }
    const fromClass = readOptions(new OptionsValidator('x'), new Settings(), ['size']);
    expect(fromClass.size).toBe(8);
    // `base` is an own enumerable field the policy does not know: reported like any typo.
    expect(errorOf((v) => readOptions(v, new Settings(), ['size']))?.issues.map((i) => i.field)).toEqual(['base']);
    const inherited = readOptions(new OptionsValidator('x'), Object.create({ size: 3, name: 'n' }) as object, KNOWN);
    expect(inherited).toEqual({ size: 3, name: 'n', clock: undefined });
  });

  it('turns a getter that throws into an issue naming the field and what it threw', () => {
    const options = {
      get size(): number {
        throw new RangeError('no size today');
      },
    };
    const error = errorOf((v) => readOptions(v, options, KNOWN));
    expect(error?.issues).toEqual([
      expect.objectContaining({ field: 'size', value: undefined, expected: 'a value that can be read' }),
    ]);
    expect(error?.message).toBe(
      'Invalid options for test(): size could not be read: reading it threw RangeError: no size today',
    );
  });

  it('survives a thrown value that throws again when looked at', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    const options = {
      get size(): number {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a hostile thrown value is the point
        throw hostile;
      },
    };
    expect(errorOf((v) => readOptions(v, options, KNOWN))?.message).toMatch(
      /^Invalid options for test\(\): size could not be read/,
    );
  });

  it('reports an options object whose keys cannot be listed', () => {
    const options = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    expect(errorOf((v) => readOptions(v, options, KNOWN))?.message).toBe(
      'Invalid options for test(): the options could not be listed: Error: no keys',
    );
  });

  it('rejects unknown keys, own or inherited, suggesting the option a typo meant', () => {
    const error = errorOf((v) =>
      readOptions(v, Object.assign(Object.create({ sise: 2 }) as object, { nmae: 'x', zzz: 1 }), KNOWN),
    );
    expect(error?.issues.map((i) => [i.field, i.value, i.expected])).toEqual([
      ['nmae', 'x', 'one of the known options (size, name, clock)'],
      ['zzz', 1, 'one of the known options (size, name, clock)'],
      ['sise', 2, 'one of the known options (size, name, clock)'],
    ]);
    expect(error?.message).toBe(
      'Invalid options for test(): nmae is not an option (got "x"): did you mean name?; ' +
        'zzz is not an option (got 1); the options are size, name, clock; ' +
        'sise is not an option (got 2): did you mean size?',
    );
  });

  it('suggests by case and by up to 3 edits for long names', () => {
    const known = ['maxAttempts', 'retryOn', 'failureThreshold'];
    const messages = (options: object): string | undefined => errorOf((v) => readOptions(v, options, known))?.message;
    expect(messages({ maxAttempt: 3 })).toContain('did you mean maxAttempts?');
    expect(messages({ retryon: [] })).toContain('did you mean retryOn?');
    expect(messages({ failureTreshhold: 5 })).toContain('did you mean failureThreshold?');
    expect(messages({ attempts: 3 })).toContain('the options are maxAttempts, retryOn, failureThreshold');
  });

  it('ignores keys every object inherits (an enumerable addition to Object.prototype)', () => {
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true });
    try {
      expect(errorOf((v) => readOptions(v, { size: 1 }, KNOWN))).toBeUndefined();
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted'];
    }
  });

  it('requires an object, reporting the issues found so far with it', () => {
    expect(readOptions(new OptionsValidator('x'), undefined, KNOWN)).toEqual({});
    for (const bad of [5, null, [1], 'size']) {
      expect(errorOf((v) => readOptions(v, bad, KNOWN))?.issues).toEqual([
        { field: 'options', value: bad, expected: 'an object' },
      ]);
    }
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(errorOf((v) => readOptions(v, revoked.proxy, KNOWN))?.issues.map((i) => i.field)).toEqual(['options']);
  });
});

describe('readErrorFilter', () => {
  class AppError extends Error {}
  const issues = (value: unknown): Array<[string, string]> =>
    errorOf((v) => readErrorFilter(v, 'retryOn', value))?.issues.map((i) => [i.field, i.message ?? i.expected]) ?? [];

  it('passes a predicate through and copies an array of classes', () => {
    const predicate = (e: unknown): boolean => e instanceof AppError;
    expect(readErrorFilter(new OptionsValidator('x'), 'on', predicate)).toBe(predicate);
    const list = [AppError, TypeError];
    const copy = readErrorFilter(new OptionsValidator('x'), 'on', list);
    expect(copy).toEqual([AppError, TypeError]);
    expect(copy).not.toBe(list);
    expect(Object.isFrozen(copy)).toBe(true);
    expect(readErrorFilter(new OptionsValidator('x'), 'on', undefined)).toBeUndefined();
  });

  it('accepts anything instanceof accepts: classes, ES5 constructors, bound classes', () => {
    function LegacyError(): void {}
    const bound = AppError.bind(null);
    expect(issues([AppError, Error, LegacyError, bound])).toEqual([]);
  });

  it('rejects arrow functions, predicates in an array, async functions and non-functions, by index', () => {
    const expected = 'an error class, usable with instanceof (a predicate is passed alone, not in an array)';
    expect(issues([(e: unknown) => e instanceof Error])).toEqual([['retryOn[0]', expected]]);
    expect(issues([AppError, async () => true, 'TypeError', { prototype: {} }])).toEqual([
      ['retryOn[1]', expected],
      ['retryOn[2]', expected],
      ['retryOn[3]', expected],
    ]);
    expect(errorOf((v) => readErrorFilter(v, 'on', [() => true]))?.message).toBe(
      'Invalid options for test(): on[0] must be an error class, usable with instanceof (a predicate is passed alone, not in an array) (got function (anonymous))',
    );
  });

  it('rejects holes by index', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(issues([, ,])).toEqual([
      ['retryOn[0]', 'retryOn[0] is an empty slot (a hole in the array): every entry must be an error class'],
      ['retryOn[1]', 'retryOn[1] is an empty slot (a hole in the array): every entry must be an error class'],
    ]);
    // eslint-disable-next-line no-sparse-arrays
    expect(issues([AppError, , TypeError]).map(([field]) => field)).toEqual(['retryOn[1]']);
  });

  it('rejects what is not an array of error classes', () => {
    const expected = 'a non-empty array of error classes or a predicate function';
    expect(issues([])).toEqual([['retryOn', expected]]);
    expect(issues('TypeError')).toEqual([['retryOn', expected]]);
    expect(issues({ 0: TypeError, length: 1 })).toEqual([['retryOn', expected]]);
    expect(issues(new Array(1_001).fill(AppError))).toEqual([['retryOn', 'an array of at most 1000 error classes']]);
  });

  it('reports an array whose entries cannot be read', () => {
    const trap = new Proxy([AppError], {
      get(target, key) {
        if (key === '0') throw new Error('no entry');
        return Reflect.get(target, key) as unknown;
      },
    });
    expect(issues(trap)).toEqual([['retryOn', 'retryOn could not be read: reading it threw Error: no entry']]);
  });
});
