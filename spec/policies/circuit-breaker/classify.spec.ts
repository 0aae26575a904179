import { BULKHEAD_ORIGIN, BulkheadFullError } from '../../../lib/errors/bulkhead-full-error.js';
import { CircuitOpenError } from '../../../lib/errors/circuit-open-error.js';
import { classifyError } from '../../../lib/policies/circuit-breaker/classify.js';

/** A BulkheadFullError as the bulkhead `origin` raises it. */
function refusedBy(origin: object): BulkheadFullError {
  const error = new BulkheadFullError('db', 1, 0);
  Object.defineProperty(error, BULKHEAD_ORIGIN, { value: origin });
  return error;
}

describe('classifyError', () => {
  const boom = new Error('boom');
  const own = {};

  it('counts every error as a failure by default, but a nested circuit rejection', () => {
    expect(classifyError(boom, false, undefined, undefined)).toBe('failure');
    expect(classifyError(new CircuitOpenError('inner', 10), false, undefined, undefined)).toBe('ignored');
  });

  it("always ignores a caller abort and its own bulkhead's refusal, whatever the predicate says", () => {
    const always = (): boolean => true;
    expect(classifyError(boom, true, always, undefined)).toBe('ignored');
    expect(classifyError(refusedBy(own), false, always, own)).toBe('ignored');
    expect(classifyError(refusedBy(own), false, undefined, own)).toBe('ignored');
  });

  it("counts a dependency's BulkheadFullError like any other error: another bulkhead's, or one user code made", () => {
    const other = refusedBy({});
    const unsigned = new BulkheadFullError('db', 1, 0);
    for (const error of [other, unsigned]) {
      expect(classifyError(error, false, undefined, own)).toBe('failure');
      expect(classifyError(error, false, undefined, undefined)).toBe('failure');
      expect(classifyError(error, false, () => false, own)).toBe('ignored');
    }
    // A signed refusal is not "own" for a breaker with no bulkhead inside it.
    expect(classifyError(refusedBy(own), false, undefined, undefined)).toBe('failure');
    // Inherited, the signature does not count: only the bulkhead's own error carries it.
    expect(classifyError(Object.create(refusedBy(own)), false, undefined, own)).toBe('failure');
  });

  it('follows the predicate otherwise, and counts an error whose predicate throws as a failure', () => {
    expect(classifyError(boom, false, () => false, undefined)).toBe('ignored');
    expect(classifyError(boom, false, () => true, undefined)).toBe('failure');
    expect(
      classifyError(
        boom,
        false,
        () => {
          throw new Error('predicate bug');
        },
        undefined,
      ),
    ).toBe('failure');
  });

  it('never throws on a value whose properties cannot be read, and counts it as a failure', () => {
    const revocable = Proxy.revocable(new Error('revoked'), {});
    revocable.revoke();
    const trap = new Proxy(new Error('trap'), {
      get() {
        throw new TypeError('no reading me');
      },
      getOwnPropertyDescriptor() {
        throw new TypeError('no reading me');
      },
    });
    for (const error of [revocable.proxy, trap]) {
      expect(classifyError(error, false, undefined, own)).toBe('failure');
      expect(classifyError(error, false, (e) => e === error, own)).toBe('failure');
      expect(classifyError(error, true, undefined, own)).toBe('ignored');
    }
  });
});
