import { Timeout } from '../../lib/decorators/timeout.js';
import { timeout } from '../../lib/functional/timeout.js';

// Type-level checks: `tsc -p tsconfig.json` and `tsc -p tsconfig.legacy.json` compile this file.
describe('@Timeout types', () => {
  it('accepts async methods (with a trailing signal) and rejects methods that do not return a Promise', async () => {
    class Typed {
      @Timeout(100)
      async ok(id: string, signal?: AbortSignal): Promise<string> {
        return `${id}:${typeof signal}`;
      }
      // @ts-expect-error -- a method that does not return a Promise cannot be decorated
      @Timeout({ duration: 100 })
      notAsync(): string {
        return 'x';
      }
    }
    const value: string = await new Typed().ok('a');
    expect(value).toBe('a:undefined'); // no caller signal: nothing to replace (currentSignal() has it)
  });

  it('types the options and passes the result type through execute', async () => {
    // @ts-expect-error -- duration is required
    const missing = (): unknown => timeout({});
    const n: number = await timeout(100).execute(async (signal) => (signal === undefined ? 0 : 1));
    expect([typeof missing, n]).toEqual(['function', 1]);
  });
});
