import { Bulkhead } from '../../lib/decorators/bulkhead.js';
import { bulkhead } from '../../lib/functional/bulkhead.js';
import type { BulkheadHandle } from '../../lib/policies/bulkhead/handle.js';

// Type-level checks: `tsc -p tsconfig.json` and `tsc -p tsconfig.legacy.json` compile this file.
describe('@Bulkhead types', () => {
  it('accepts async methods and rejects methods that do not return a Promise', async () => {
    class Typed {
      @Bulkhead(2)
      async ok(n: number): Promise<number> {
        return n;
      }
      // @ts-expect-error -- a method that does not return a Promise cannot be decorated
      @Bulkhead({ maxConcurrent: 1 })
      notAsync(): number {
        return 1;
      }
    }
    const value: number = await new Typed().ok(3);
    expect(value).toBe(3);
  });

  it('types the options and the handle', () => {
    // @ts-expect-error -- maxConcurrent is required
    const missing = (): unknown => bulkhead({ maxQueue: 3 });
    // @ts-expect-error -- maxQueue is a number
    const wrong = (): unknown => bulkhead({ maxConcurrent: 1, maxQueue: '3' });
    const handle: BulkheadHandle = bulkhead(1);
    // @ts-expect-error -- the handle is read-only
    const assign = (): unknown => ((handle as { readonly active: number }).active = 3);
    expect([typeof missing, typeof wrong, typeof assign, handle.maxConcurrent]).toEqual([
      'function',
      'function',
      'function',
      1,
    ]);
  });
});
