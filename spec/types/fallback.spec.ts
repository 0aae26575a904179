import { Fallback } from '../../lib/decorators/fallback.js';
import { fallback } from '../../lib/functional/fallback.js';
import { staleResult } from '../../lib/policies/fallback/stale-result.js';
import { expectType, type Equal } from '../support/type-equality.js';

interface Receipt {
  readonly id: string;
}

// Compiled by `tsc -p tsconfig.json` (standard decorators) and `tsc -p tsconfig.legacy.json`:
// every `@ts-expect-error` below must be an error in both modes, or the type-check fails.
describe('Fallback (types)', () => {
  it('accepts a fitting method name, function or staleResult()', async () => {
    class Good {
      @Fallback('cached')
      async charge(amount: number, _signal?: AbortSignal): Promise<Receipt> {
        throw new Error(String(amount));
      }
      async cached(_error: unknown, amount: number): Promise<Receipt> {
        return { id: `cached ${amount}` };
      }

      // A handler may take fewer arguments and return the plain value.
      @Fallback('constant')
      async fewer(amount: number): Promise<Receipt> {
        throw new Error(String(amount));
      }
      constant(): Receipt {
        return { id: 'constant' };
      }

      @Fallback((_e: unknown, amount: number) => ({ id: `fn ${amount}` }))
      async byFunction(amount: number): Promise<Receipt> {
        throw new Error(String(amount));
      }

      @Fallback(function (this: Good, _e: unknown) {
        return this.constant();
      })
      async withThis(): Promise<Receipt> {
        throw new Error('x');
      }

      @Fallback(staleResult())
      async stale(id: string): Promise<Receipt> {
        return { id };
      }

      @Fallback('staticDefaults')
      static async load(name: string): Promise<string> {
        throw new Error(name);
      }
      static staticDefaults(_e: unknown, name: string): string {
        return name;
      }
    }
    const g = new Good();
    const r: Receipt = await g.charge(3);
    expect(r).toEqual({ id: 'cached 3' });
    await expect(g.fewer(1)).resolves.toEqual({ id: 'constant' });
    await expect(g.byFunction(2)).resolves.toEqual({ id: 'fn 2' });
    await expect(g.withThis()).resolves.toEqual({ id: 'constant' });
    await expect(Good.load('n')).resolves.toBe('n');
  });

  it('rejects a missing or unfitting handler at compile time, in both decorator modes', () => {
    // Never run: several of these also fail at run time; the point is the compile error.
    const notCompiled = () => {
      class Bad {
        // @ts-expect-error -- no method of that name
        @Fallback('nope')
        async missing(amount: number): Promise<Receipt> {
          return { id: String(amount) };
        }

        // @ts-expect-error -- the handler's argument types do not match the method's
        @Fallback('wrongArg')
        async a(amount: number): Promise<Receipt> {
          return { id: String(amount) };
        }
        wrongArg(_e: unknown, amount: string): Receipt {
          return { id: amount };
        }

        // @ts-expect-error -- the handler returns another type
        @Fallback('wrongResult')
        async b(amount: number): Promise<Receipt> {
          return { id: String(amount) };
        }
        async wrongResult(_e: unknown, amount: number): Promise<number> {
          return amount;
        }

        // @ts-expect-error -- the handler must accept any error (unknown), not only Error
        @Fallback('narrowError')
        async c(amount: number): Promise<Receipt> {
          return { id: String(amount) };
        }
        narrowError(e: Error, _amount: number): Receipt {
          return { id: e.message };
        }

        // @ts-expect-error -- the handler requires an argument the method does not have
        @Fallback('tooMany')
        async d(amount: number): Promise<Receipt> {
          return { id: String(amount) };
        }
        tooMany(_e: unknown, _amount: number, _extra: string): Receipt {
          return { id: 'x' };
        }

        // @ts-expect-error -- a property that is not a method
        @Fallback('prop')
        async e(amount: number): Promise<Receipt> {
          return { id: String(amount) };
        }
        prop = 3;

        // @ts-expect-error -- a function handler with the wrong result type
        @Fallback(() => 42)
        async f(amount: number): Promise<Receipt> {
          return { id: String(amount) };
        }

        // @ts-expect-error -- a function handler with the wrong argument type
        @Fallback((_e: unknown, amount: string) => ({ id: amount }))
        async g(amount: number): Promise<Receipt> {
          return { id: String(amount) };
        }

        // @ts-expect-error -- a method that does not return a Promise cannot be decorated
        @Fallback('constant')
        sync(): Receipt {
          return { id: 'x' };
        }
        constant(): Receipt {
          return { id: 'c' };
        }
      }
      return Bad;
    };
    expect(typeof notCompiled).toBe('function');
  });

  it('types an inline function handler from the decorated method (parameters and `this`)', async () => {
    class Users {
      readonly prefix = 'guest';

      @Fallback((error, id, options) => {
        expectType<Equal<typeof error, unknown>>();
        expectType<Equal<typeof id, string>>();
        expectType<Equal<typeof options, { readonly full: boolean } | undefined>>();
        return { id: `${id}:${String(options?.full)}` };
      })
      async get(id: string, options?: { readonly full: boolean }): Promise<Receipt> {
        throw new Error(`${id} ${JSON.stringify(options)}`);
      }

      @Fallback(function (error) {
        expectType<Equal<typeof this, Users>>();
        return { id: `${this.prefix} after ${String(error)}` };
      })
      async current(): Promise<Receipt> {
        throw new Error('down');
      }

      @Fallback((_error, name) => {
        expectType<Equal<typeof name, number>>();
        return name * 2;
      })
      static async count(name: number): Promise<number> {
        throw new Error(String(name));
      }
    }
    const users = new Users();
    await expect(users.get('ada', { full: true })).resolves.toEqual({ id: 'ada:true' });
    await expect(users.current()).resolves.toEqual({ id: 'guest after Error: down' });
    await expect(Users.count(21)).resolves.toBe(42);
  });

  it('names the mistake in the error (a private handler, the method itself, a wide name, a symbol)', () => {
    const handler = Symbol('handler');
    const wide: string = 'cached';
    const notCompiled = () => {
      class Bad {
        // @ts-expect-error -- a private method is hidden from decorators
        @Fallback('secret')
        async a(amount: number): Promise<Receipt> {
          return { id: String(amount) + String(this.secret) };
        }
        private secret(_e: unknown, amount: number): Receipt {
          return { id: String(amount) };
        }

        // @ts-expect-error -- the decorated method itself
        @Fallback('self')
        async self(): Promise<Receipt> {
          return { id: 'x' };
        }

        // @ts-expect-error -- a name that is only known to be a string cannot be checked
        @Fallback(wide)
        async w(): Promise<Receipt> {
          return { id: 'x' };
        }

        // @ts-expect-error -- a static method's handler must be static
        @Fallback('instanceOnly')
        static async s(): Promise<Receipt> {
          return { id: 'x' };
        }
        instanceOnly(): Receipt {
          return { id: 'i' };
        }

        // @ts-expect-error -- the symbol-named handler returns another type
        @Fallback(handler)
        async sym(): Promise<number> {
          return 1;
        }
        [handler](): Receipt {
          return { id: 's' };
        }
      }
      return Bad;
    };
    expect(typeof notCompiled).toBe('function');
  });

  it('accepts a symbol-named handler that fits, and anything where the method is not known', async () => {
    const handler = Symbol('handler');
    class Good {
      @Fallback(handler)
      async get(id: string): Promise<Receipt> {
        throw new Error(id);
      }
      [handler](_e: unknown, id: string): Receipt {
        return { id: `symbol ${id}` };
      }
    }
    await expect(new Good().get('a')).resolves.toEqual({ id: 'symbol a' });
    // Created away from a method, a decorator cannot be checked at compile time (only at run time).
    const detached = Fallback('anything');
    const detachedFn = Fallback((error: unknown) => error);
    expect([typeof detached, typeof detachedFn]).toEqual(['function', 'function']);
  });

  it('types the functional fallback handler as (error) => result', async () => {
    const n: number = await fallback((error: unknown) => (error instanceof Error ? 1 : 2)).execute(
      async (): Promise<number> => {
        throw new Error('x');
      },
    );
    expect(n).toBe(1);
    // @ts-expect-error -- the functional handler gets the error only
    fallback((_e: unknown, id: string) => id);
    // @ts-expect-error -- a method name only makes sense on a decorator
    expect(() => fallback('cached')).toThrow();
  });
});
