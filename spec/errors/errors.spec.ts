import {
  BulkheadFullError,
  CircuitOpenError,
  isBulkheadFullError,
  isCircuitOpenError,
  isPolicyConfigError,
  isResilienceError,
  isTimeoutError,
  PolicyConfigError,
  ResilienceError,
  TimeoutError,
} from '../../lib/errors/index.js';

describe('errors', () => {
  it('carry codes, names and the fields callers need', () => {
    const open = new CircuitOpenError('payments', 1_234.2);
    expect(open).toMatchObject({
      code: 'ERR_CIRCUIT_OPEN',
      name: 'CircuitOpenError',
      breakerName: 'payments',
      retryAfter: 1_234.2,
    });
    expect(open.message).toBe("Circuit 'payments' is open; a probe will be admitted in 1235 ms");
    expect(new CircuitOpenError('p', Infinity).message).toMatch(/forced open/);
    const full = new BulkheadFullError('db', 4, 2);
    expect(full).toMatchObject({
      code: 'ERR_BULKHEAD_FULL',
      bulkheadName: 'db',
      maxConcurrent: 4,
      maxQueue: 2,
      reason: 'full',
    });
    expect(new BulkheadFullError('db', 4, 2, 'queue_timeout').message).toMatch(/queue timeout/);
    expect(new TimeoutError(250, 'Api.get')).toMatchObject({
      code: 'ERR_TIMEOUT',
      duration: 250,
      message: "'Api.get' timed out after 250 ms",
    });
    const config = new PolicyConfigError('@Retry on A.b', [
      { field: 'maxAttempts', value: 0, expected: 'an integer ≥ 1' },
      { field: 'delay', value: Number.NaN, expected: 'a number' },
    ]);
    expect(config.message).toBe(
      'Invalid options for @Retry on A.b: maxAttempts must be an integer ≥ 1 (got 0); delay must be a number (got NaN)',
    );
    for (const e of [open, full, config]) {
      expect(e).toBeInstanceOf(Error);
      expect(e).toBeInstanceOf(ResilienceError);
      expect(isResilienceError(e)).toBe(true);
    }
  });

  it('are recognised across two copies of the package (by a registered symbol)', () => {
    // What a second copy's error looks like to this copy: another class, the same brand.
    const brand = Symbol.for('breakwater.error.code');
    const foreign = Object.assign(new Error('x'), { [brand]: 'ERR_CIRCUIT_OPEN' });
    expect(isCircuitOpenError(foreign)).toBe(true);
    expect(foreign instanceof CircuitOpenError).toBe(true);
    expect(foreign instanceof ResilienceError).toBe(true);
    expect(foreign instanceof TimeoutError).toBe(false);
    expect(isTimeoutError(foreign)).toBe(false);
  });

  it('keeps ordinary instanceof for a user subclass', () => {
    class PaymentsDown extends CircuitOpenError {}
    const mine = new PaymentsDown('payments', 10);
    expect(mine instanceof PaymentsDown).toBe(true);
    expect(mine instanceof CircuitOpenError).toBe(true);
    expect(new CircuitOpenError('payments', 10) instanceof PaymentsDown).toBe(false);
    expect(isCircuitOpenError(mine)).toBe(true);
  });

  it('keeps ordinary instanceof where a value carries no brand: prototypes and objects made from them', () => {
    expect(CircuitOpenError.prototype instanceof ResilienceError).toBe(true);
    expect(CircuitOpenError.prototype instanceof Error).toBe(true);
    expect(ResilienceError.prototype instanceof ResilienceError).toBe(false); // as for any class
    expect(Object.create(CircuitOpenError.prototype) instanceof CircuitOpenError).toBe(true);
    expect(Object.create(CircuitOpenError.prototype) instanceof ResilienceError).toBe(true);
    expect(Object.create(CircuitOpenError.prototype) instanceof TimeoutError).toBe(false);
    class PaymentsDown extends CircuitOpenError {}
    expect(PaymentsDown.prototype instanceof CircuitOpenError).toBe(true);
    expect(PaymentsDown.prototype instanceof ResilienceError).toBe(true);
    expect(PaymentsDown.prototype instanceof BulkheadFullError).toBe(false);
    // The guards stay brand-only: an unbranded object is not an error breakwater threw.
    expect(isCircuitOpenError(Object.create(CircuitOpenError.prototype))).toBe(false);
    // A brand still wins over the prototype chain.
    const brand = Symbol.for('breakwater.error.code');
    const relabelled = Object.assign(Object.create(CircuitOpenError.prototype) as object, { [brand]: 'ERR_TIMEOUT' });
    expect(relabelled instanceof CircuitOpenError).toBe(false);
    expect(relabelled instanceof TimeoutError).toBe(true);
  });

  it('never throw, as guards or through instanceof, on a value whose properties cannot be read', () => {
    const revocable = Proxy.revocable(new CircuitOpenError('p', 1), {});
    revocable.revoke();
    const trap = (): never => {
      throw new TypeError('a trap');
    };
    const traps = new Proxy(new TimeoutError(1), { get: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap });
    const getter = Object.defineProperty(new Error('x'), Symbol.for('breakwater.error.code'), { get: trap });
    for (const value of [revocable.proxy, traps, getter]) {
      for (const guard of [
        isResilienceError,
        isCircuitOpenError,
        isBulkheadFullError,
        isTimeoutError,
        isPolicyConfigError,
      ])
        expect(guard(value)).toBe(false);
      for (const cls of [ResilienceError, CircuitOpenError, TimeoutError, BulkheadFullError, PolicyConfigError])
        expect(value instanceof cls).toBe(false);
    }
    class Mine extends TimeoutError {}
    expect(traps instanceof Mine).toBe(false);
    expect(getter instanceof Error).toBe(true); // ordinary instanceof still answers for others
  });

  it('guards reject everything else', () => {
    for (const value of [new Error('x'), null, undefined, 'ERR_TIMEOUT', { code: 'ERR_TIMEOUT' }]) {
      expect(isResilienceError(value)).toBe(false);
      expect(isTimeoutError(value)).toBe(false);
      expect(isBulkheadFullError(value)).toBe(false);
      expect(isPolicyConfigError(value)).toBe(false);
      expect(value instanceof ResilienceError).toBe(false);
    }
  });

  it('describe values precisely in config messages', () => {
    const issue = (value: unknown): string =>
      new PolicyConfigError('x', [{ field: 'f', value, expected: 'y' }]).message;
    expect(issue('s')).toMatch(/got "s"/);
    expect(issue(function named() {})).toMatch(/got function named/);
    expect(issue(10n)).toMatch(/got 10n/);
    expect(issue({ a: 1 })).toMatch(/got \{"a":1\}/);
    expect(issue(Array.from({ length: 10 }, (_, i) => i))).toMatch(/got \[0, 1, 2, 3, 4, 5, 6, 7, … 2 more\]/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(issue(cyclic)).toMatch(/got \[object\]/);
  });
});
