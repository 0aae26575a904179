import { getEventListeners } from 'node:events';
import { getPolicyMetadata } from '../../lib/decorators/get-policy-metadata.js';
import { PolicyOrder } from '../../lib/decorators/policy-order.js';
import { currentSignal } from '../../lib/runtime/async-context.js';
import { POLICY_METADATA_KEY } from '../../lib/decorators/metadata.js';
import { isPolicyConfigError } from '../../lib/errors/policy-config-error.js';
import { createProbeLog, Probe } from '../support/probe-policy.js';

describe('install (one wrapper per method)', () => {
  it('applies the policies in the default order whatever the source order', async () => {
    const a = createProbeLog();
    const b = createProbeLog();
    class SourceOrderA {
      @Probe('bulkhead', a)
      @Probe('retry', a)
      @Probe('fallback', a)
      @Probe('timeout', a)
      @Probe('circuitBreaker', a)
      async run(): Promise<string> {
        a.entries.push('method');
        return 'ok';
      }
    }
    class SourceOrderB {
      @Probe('fallback', b)
      @Probe('circuitBreaker', b)
      @Probe('retry', b)
      @Probe('timeout', b)
      @Probe('bulkhead', b)
      async run(): Promise<string> {
        b.entries.push('method');
        return 'ok';
      }
    }
    await expect(new SourceOrderA().run()).resolves.toBe('ok');
    await expect(new SourceOrderB().run()).resolves.toBe('ok');
    const expected = [
      'enter:fallback',
      'enter:circuitBreaker',
      'enter:retry',
      'enter:timeout',
      'enter:bulkhead',
      'method',
      'exit:bulkhead',
      'exit:timeout',
      'exit:retry',
      'exit:circuitBreaker',
      'exit:fallback',
    ];
    expect(a.entries).toEqual(expected);
    expect(b.entries).toEqual(expected);
  });

  it('wraps the method once and builds the chain once, on the first call', async () => {
    const log = createProbeLog();
    class Once {
      @Probe('retry', log)
      @Probe('circuitBreaker', log)
      async run(): Promise<number> {
        return 1;
      }
    }
    expect(log.sites).toHaveLength(0);
    const o = new Once();
    await o.run();
    await o.run();
    await new Once().run();
    expect(log.sites.map((s) => s.label)).toEqual(['Once.run', 'Once.run']); // one executor per policy
  });

  it('honours a per-method order override', async () => {
    const log = createProbeLog();
    class Overridden {
      @PolicyOrder(['fallback', 'retry', 'circuitBreaker', 'timeout', 'bulkhead'])
      @Probe('circuitBreaker', log)
      @Probe('retry', log)
      async run(): Promise<void> {
        log.entries.push('method');
      }
    }
    await new Overridden().run();
    expect(log.entries).toEqual(['enter:retry', 'enter:circuitBreaker', 'method', 'exit:circuitBreaker', 'exit:retry']);
    expect(getPolicyMetadata(Overridden, 'run')).toEqual({
      order: ['retry', 'circuitBreaker'],
      policies: [
        { kind: 'retry', options: { probe: 'retry' } },
        { kind: 'circuitBreaker', options: { probe: 'circuitBreaker' } },
      ],
      customOrder: true,
    });
  });

  it('rejects an invalid order at class definition, naming the field and the value', () => {
    const define = (): unknown => {
      class Bad {
        @PolicyOrder(['retry', 'retry', 'timeout', 'bulkhead', 'fallback'])
        async run(): Promise<void> {}
      }
      return Bad;
    };
    expect(define).toThrow(
      /order must be an array of 'fallback', 'circuitBreaker', 'retry', 'timeout', 'bulkhead', each exactly once \(got \["retry", "retry", "timeout", "bulkhead", "fallback"\]\)/,
    );
  });

  it('rejects the same decorator twice on one method', () => {
    const log = createProbeLog();
    let caught: unknown;
    try {
      class Twice {
        @Probe('retry', log)
        @Probe('retry', log)
        async run(): Promise<void> {}
      }
      void Twice;
    } catch (error) {
      caught = error;
    }
    expect(isPolicyConfigError(caught)).toBe(true);
    expect(String(caught)).toMatch(/@Retry is declared twice on run: a method takes each policy once$/);
    expect(String(caught)).not.toMatch(/got undefined/);
  });

  it('passes this, arguments and results through unchanged', async () => {
    const log = createProbeLog();
    const result = { id: 1 };
    class Passing {
      readonly tag = 'me';
      @Probe('circuitBreaker', log)
      async run(a: number, b: { x: string }, ...rest: string[]): Promise<unknown> {
        return { self: this, a, b, rest, result };
      }
    }
    const p = new Passing();
    const arg = { x: 'y' };
    const out = (await p.run(1, arg, 'r1', 'r2')) as {
      self: unknown;
      a: number;
      b: unknown;
      rest: string[];
      result: unknown;
    };
    expect(out.self).toBe(p);
    expect(out.a).toBe(1);
    expect(out.b).toBe(arg);
    expect(out.rest).toEqual(['r1', 'r2']);
    expect(out.result).toBe(result);
  });

  it('turns a synchronous throw into a rejection with the same error', async () => {
    const log = createProbeLog();
    const boom = new Error('sync');
    class Throwing {
      @Probe('circuitBreaker', log)
      run(): Promise<void> {
        throw boom;
      }
    }
    const pending = new Throwing().run();
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toBe(boom);
  });

  it('keeps the method name and records metadata readable through reflect-metadata', () => {
    const log = createProbeLog();
    class Named {
      @Probe('timeout', log)
      async fetchThing(_id: string): Promise<void> {}
    }
    const fn = Named.prototype.fetchThing;
    expect(fn.name).toBe('fetchThing');
    expect(Reflect.getMetadata(POLICY_METADATA_KEY, fn)).toMatchObject({ methodName: 'fetchThing' });
    expect(getPolicyMetadata(new Named(), 'fetchThing')?.order).toEqual(['timeout']);
    expect(getPolicyMetadata(Named, 'missing')).toBeUndefined();
  });

  it('labels sites Class.method, and a second class of the same name Class.method#2', async () => {
    const log = createProbeLog();
    // Legacy decorators are not allowed on class expressions: declare the class inside a function.
    const make = () => {
      class Twin {
        @Probe('retry', log)
        async go(): Promise<void> {}
      }
      return Twin;
    };
    const First = make();
    const Second = make();
    await new First().go();
    await new Second().go();
    await new First().go();
    expect(log.sites.map((s) => s.label)).toEqual(['Twin.go', 'Twin.go#2']);
  });

  it('finds the owning class for inherited and overridden methods', async () => {
    const log = createProbeLog();
    class Base {
      @Probe('retry', log)
      async go(): Promise<string> {
        return 'base';
      }
    }
    class Child extends Base {
      override async go(): Promise<string> {
        return `child>${await super.go()}`;
      }
    }
    await expect(new Child().go()).resolves.toBe('child>base');
    expect(log.sites[0]).toMatchObject({ className: 'Base', label: 'Base.go' });
  });

  it('works on static methods', async () => {
    const log = createProbeLog();
    class Statics {
      @Probe('retry', log)
      static async ping(): Promise<string> {
        return 'pong';
      }
    }
    await expect(Statics.ping()).resolves.toBe('pong');
    expect(log.sites[0]?.label).toBe('Statics.ping');
  });

  it('creates per-instance policies once per object and shared ones once', async () => {
    const log = createProbeLog();
    class PerObject {
      @Probe('circuitBreaker', log, true)
      @Probe('retry', log)
      async go(): Promise<void> {}
    }
    const a = new PerObject();
    const b = new PerObject();
    await a.go();
    await a.go();
    await b.go();
    const breakerSites = log.sites.filter((s) => s.instance !== undefined);
    expect(breakerSites.map((s) => s.instance)).toEqual([a, b]);
    expect(log.sites.filter((s) => s.instance === undefined)).toHaveLength(1);
  });

  it('reports a detached call of a per-instance method clearly', async () => {
    const log = createProbeLog();
    class Detached {
      @Probe('circuitBreaker', log, true)
      async go(): Promise<void> {}
    }
    const { go } = new Detached();
    await expect(go()).rejects.toThrow(/must be called on an object/);
  });

  it('enters the async context only for calls that carry a signal', async () => {
    const log = createProbeLog();
    const seen: Array<AbortSignal | undefined> = [];
    class Ctx {
      @Probe('retry', log)
      async go(_signal?: AbortSignal): Promise<void> {
        await Promise.resolve();
        seen.push(currentSignal());
      }
    }
    const controller = new AbortController();
    await new Ctx().go();
    await new Ctx().go(controller.signal);
    expect(seen).toEqual([undefined, controller.signal]);
  });

  it('rejects at once with the reason when the caller aborts, and leaves no listener behind', async () => {
    const log = createProbeLog();
    let finish!: () => void;
    class Slow {
      @Probe('retry', log)
      async go(_signal: AbortSignal): Promise<string> {
        await new Promise<void>((resolve) => (finish = resolve));
        return 'late';
      }
    }
    const controller = new AbortController();
    const pending = new Slow().go(controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const reason = new Error('user left');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    finish();
    await Promise.resolve();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects without running the method when the caller signal is already aborted', async () => {
    const log = createProbeLog();
    const body = jest.fn(async (_s: AbortSignal) => 'ran');
    class Pre {
      @Probe('retry', log)
      async go(signal: AbortSignal): Promise<string> {
        return body(signal);
      }
    }
    const reason = new Error('already');
    await expect(new Pre().go(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(body).not.toHaveBeenCalled();
  });
});
