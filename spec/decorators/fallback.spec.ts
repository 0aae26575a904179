import { Fallback } from '../../lib/decorators/fallback.js';
import { getPolicyMetadata } from '../../lib/decorators/get-policy-metadata.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../lib/errors/policy-config-error.js';
import { staleResult } from '../../lib/policies/fallback/stale-result.js';

// Bypasses the compile-time check to reach the run-time one.
const untypedFallback = Fallback as unknown as (handler: unknown) => (...args: any[]) => any;

const legacy = (globalThis as { BREAKWATER_DECORATOR_MODE?: string }).BREAKWATER_DECORATOR_MODE === 'legacy';

interface Receipt {
  readonly id: string;
  readonly via: string;
}

describe('@Fallback', () => {
  it('calls a method of the same class with this = the instance and (error, ...originalArgs)', async () => {
    const boom = new Error('gateway down');
    class Payments {
      readonly seen: unknown[][] = [];
      constructor(readonly region: string) {}
      @Fallback('cachedCharge')
      async charge(_amount: number, _currency: string): Promise<Receipt> {
        throw boom;
      }
      async cachedCharge(error: unknown, amount: number, currency: string): Promise<Receipt> {
        this.seen.push([error, amount, currency]);
        return { id: `${amount}${currency}`, via: this.region };
      }
    }
    const p = new Payments('eu');
    await expect(p.charge(10, 'EUR')).resolves.toEqual({ id: '10EUR', via: 'eu' });
    expect(p.seen).toEqual([[boom, 10, 'EUR']]);
  });

  it('calls a function handler with this = the instance, and returns a sync result', async () => {
    class Users {
      name = 'users-client';
      @Fallback(function (this: Users, _error: unknown, id: string) {
        return `${this.name}:${id}:anonymous`;
      })
      async get(id: string): Promise<string> {
        throw new Error(`no ${id}`);
      }
    }
    await expect(new Users().get('42')).resolves.toBe('users-client:42:anonymous');
  });

  it('looks the handler up on the instance, so a subclass override applies', async () => {
    class Base {
      @Fallback('recover')
      async run(): Promise<string> {
        throw new Error('x');
      }
      async recover(): Promise<string> {
        return 'base';
      }
    }
    class Derived extends Base {
      override async recover(): Promise<string> {
        return 'derived';
      }
    }
    await expect(new Base().run()).resolves.toBe('base');
    await expect(new Derived().run()).resolves.toBe('derived');
  });

  it('rethrows an error `on` does not match, the same object', async () => {
    const fatal = new TypeError('bug');
    class Filtered {
      @Fallback('recover', { on: [RangeError] })
      async run(): Promise<string> {
        throw fatal;
      }
      recover(): string {
        return 'recovered';
      }
    }
    await expect(new Filtered().run()).rejects.toBe(fatal);
  });

  it('gives a throwing handler’s error the original as cause', async () => {
    const original = new Error('original');
    const secondary = new Error('cache miss');
    class Chained {
      @Fallback('recover')
      async run(): Promise<string> {
        throw original;
      }
      async recover(): Promise<string> {
        throw secondary;
      }
    }
    await expect(new Chained().run()).rejects.toBe(secondary);
    expect(secondary.cause).toBe(original);
  });

  it('works on static methods', async () => {
    class Config {
      @Fallback('defaults')
      static async load(name: string): Promise<string> {
        throw new Error(name);
      }
      static defaults(_e: unknown, name: string): string {
        return `default ${name}`;
      }
    }
    await expect(Config.load('db')).resolves.toBe('default db');
  });

  it('serves stale results with staleResult(), per instance', async () => {
    class Profiles {
      down = false;
      version = 0;
      @Fallback(staleResult())
      async profile(id: string): Promise<string> {
        if (this.down) throw new Error('down');
        return `${id} v${++this.version}`;
      }
    }
    const a = new Profiles();
    const b = new Profiles();
    await a.profile('ada');
    await expect(a.profile('ada')).resolves.toBe('ada v2');
    a.down = true;
    b.down = true;
    await expect(a.profile('ada')).resolves.toBe('ada v2');
    await expect(b.profile('ada')).rejects.toThrow('down');
  });

  it(`reports a handler name that is not a method ${legacy ? 'at class definition' : 'at the first call'}`, async () => {
    const define = () => {
      class Missing {
        // @ts-expect-error -- the type check is the first line of defence; this tests the run-time one
        @Fallback('nope')
        async run(): Promise<string> {
          return 'ok';
        }
      }
      return Missing;
    };
    if (legacy) {
      let caught: unknown;
      try {
        define();
      } catch (error) {
        caught = error;
      }
      expect(isPolicyConfigError(caught)).toBe(true);
      expect((caught as PolicyConfigError).message).toBe(
        'Invalid options for @Fallback on Missing.run: handler must be the name of a method of Missing (no such method was found) (got "nope")',
      );
    } else {
      const Missing = define();
      const caught = await new Missing().run().catch((e: unknown) => e);
      expect(isPolicyConfigError(caught)).toBe(true);
      expect((caught as PolicyConfigError).where).toBe('@Fallback on Missing.run');
    }
  });

  it('rejects the decorated method itself as its handler, and invalid options, at definition', () => {
    const attempts = [
      () => {
        class Self {
          // @ts-expect-error -- a compile error too; this tests the run-time check
          @Fallback('run')
          async run(): Promise<string> {
            return 'x';
          }
        }
        return Self;
      },
      () => {
        class BadOptions {
          @Fallback('recover', { on: 'Error' as never })
          async run(): Promise<string> {
            return 'x';
          }
          recover(): string {
            return 'y';
          }
        }
        return BadOptions;
      },
      () => {
        class BadHandler {
          @untypedFallback(42)
          async run(): Promise<string> {
            return 'x';
          }
        }
        return BadHandler;
      },
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(isPolicyConfigError(caught)).toBe(true);
    }
  });

  it('records the handler and options for getPolicyMetadata', () => {
    class Meta {
      @Fallback('recover', { on: [RangeError] })
      async run(): Promise<string> {
        return 'x';
      }
      recover(): string {
        return 'y';
      }
    }
    expect(getPolicyMetadata(Meta, 'run')?.policies).toEqual([
      { kind: 'fallback', options: { handler: 'recover', on: [RangeError] } },
    ]);
  });
});
