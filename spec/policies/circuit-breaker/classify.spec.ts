import { BulkheadFullError } from '../../../lib/errors/bulkhead-full-error.js';
import { CircuitOpenError } from '../../../lib/errors/circuit-open-error.js';
import { classifyError } from '../../../lib/policies/circuit-breaker/classify.js';

describe('classifyError', () => {
  const boom = new Error('boom');

  it('counts every error as a failure by default, but a nested circuit rejection', () => {
    expect(classifyError(boom, false, undefined)).toBe('failure');
    expect(classifyError(new CircuitOpenError('inner', 10), false, undefined)).toBe('ignored');
  });

  it('always ignores a caller abort and a bulkhead refusal, whatever the predicate says', () => {
    const always = (): boolean => true;
    expect(classifyError(boom, true, always)).toBe('ignored');
    expect(classifyError(new BulkheadFullError('db', 1, 0), false, always)).toBe('ignored');
  });

  it('follows the predicate otherwise, and counts an error whose predicate throws as a failure', () => {
    expect(classifyError(boom, false, () => false)).toBe('ignored');
    expect(classifyError(boom, false, () => true)).toBe('failure');
    expect(
      classifyError(boom, false, () => {
        throw new Error('predicate bug');
      }),
    ).toBe('failure');
  });
});
