import { Retry } from '../../lib/decorators/retry.js';
import { getPolicyMetadata } from '../../lib/decorators/get-policy-metadata.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../lib/errors/policy-config-error.js';
import { events$ } from '../../lib/events/streams.js';
import type { ResilienceEvent } from '../../lib/events/types.js';

describe('@Retry', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries the method with its `this` and arguments, returning its value', async () => {
    class Inventory {
      calls: unknown[][] = [];
      constructor(private readonly failures: number) {}
      @Retry({ delay: 10, jitter: 'none' })
      async stock(sku: string, warehouse: number): Promise<string> {
        this.calls.push([sku, warehouse]);
        if (this.calls.length <= this.failures) throw new Error(`down ${this.calls.length}`);
        return `${sku}@${warehouse}`;
      }
    }
    const inv = new Inventory(2);
    const result = inv.stock('A-1', 7);
    await jest.advanceTimersByTimeAsync(30);
    await expect(result).resolves.toBe('A-1@7');
    expect(inv.calls).toEqual([
      ['A-1', 7],
      ['A-1', 7],
      ['A-1', 7],
    ]);
  });

  it('rethrows the last error unchanged after maxAttempts (default 3)', async () => {
    const errors: Error[] = [];
    class Broken {
      @Retry({ delay: 0 })
      async run(): Promise<void> {
        const e = new Error(`attempt ${errors.length + 1}`);
        errors.push(e);
        throw e;
      }
    }
    const outcome = new Broken().run().catch((e: unknown) => e);
    await jest.runAllTimersAsync();
    expect(await outcome).toBe(errors[2]);
    expect(errors).toHaveLength(3);
  });

  it('names its events after Class.method', async () => {
    const events: ResilienceEvent[] = [];
    const sub = events$.subscribe((e) => events.push(e));
    try {
      let n = 0;
      class Named {
        @Retry({ delay: 0 })
        async go(): Promise<number> {
          if (++n < 2) throw new Error('once');
          return n;
        }
      }
      await expect(new Named().go()).resolves.toBe(2);
      expect(events.filter((e) => e.type === 'retry').map((e) => e.name)).toEqual(['Named.go']);
    } finally {
      sub.unsubscribe();
    }
  });

  it("names its 'retry_exhausted' event after Class.method too, with the attempts and the last error", async () => {
    const events: ResilienceEvent[] = [];
    const sub = events$.subscribe((e) => events.push(e));
    try {
      const errors: Error[] = [];
      class GivesUp {
        @Retry({ maxAttempts: 2, delay: 0 })
        async go(): Promise<void> {
          const error = new Error(`attempt ${errors.length + 1}`);
          errors.push(error);
          throw error;
        }
      }
      const outcome = new GivesUp().go().catch((e: unknown) => e);
      await jest.runAllTimersAsync();
      expect(await outcome).toBe(errors[1]);
      expect(events.filter((e) => e.type === 'retry_exhausted')).toEqual([
        expect.objectContaining({
          policy: 'retry',
          name: 'GivesUp.go',
          attempts: 2,
          outcome: 'error',
          error: errors[1],
        }),
      ]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('validates options at class definition, naming the method and every bad field', () => {
    let caught: unknown;
    try {
      class Bad {
        @Retry({ maxAttempts: 0, delay: Number.NaN })
        async run(): Promise<void> {}
      }
      void Bad;
    } catch (error) {
      caught = error;
    }
    expect(isPolicyConfigError(caught)).toBe(true);
    const e = caught as PolicyConfigError;
    expect(e.where).toMatch(/^@Retry on (Bad\.)?run$/);
    expect(e.issues.map((i) => i.field)).toEqual(['maxAttempts', 'delay']);
  });

  it('records its options for getPolicyMetadata', () => {
    class Meta {
      @Retry({ maxAttempts: 5 })
      async run(): Promise<void> {}
    }
    expect(getPolicyMetadata(Meta, 'run')?.policies).toEqual([{ kind: 'retry', options: { maxAttempts: 5 } }]);
  });

  it('stops retrying when the caller aborts, and leaves no timer', async () => {
    let calls = 0;
    class Api {
      @Retry({ delay: 1_000, maxAttempts: 10 })
      async get(_id: string, _signal?: AbortSignal): Promise<string> {
        calls++;
        throw new Error('503');
      }
    }
    const controller = new AbortController();
    const outcome = new Api().get('x', controller.signal).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(0);
    controller.abort(new Error('cancelled'));
    expect(await outcome).toEqual(new Error('cancelled'));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('works on static methods', async () => {
    let n = 0;
    class Util {
      @Retry({ delay: 0 })
      static async once(): Promise<number> {
        if (++n === 1) throw new Error('first');
        return n;
      }
    }
    await expect(Util.once()).resolves.toBe(2);
  });
});
