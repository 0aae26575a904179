import { SHARED_STATE_KEY, sharedState } from '../../lib/shared/shared-state.js';
import * as first from '../../lib/index.js';

type Breakwater = typeof first;

// A second, separate instance of the package's modules in this process: what an application gets
// when it loads breakwater through both `import` and `require`. Its classes and module variables are
// its own; only what lives on globalThis is common to both.
function loadAnotherCopy(): Breakwater {
  let other: Breakwater | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules loads synchronously
    other = require('../../lib/index') as Breakwater;
  });
  if (other === undefined) throw new Error('isolateModules did not load lib/index');
  return other;
}

function loadSharedStateCopy(): typeof import('../../lib/shared/shared-state.js') {
  let other: typeof import('../../lib/shared/shared-state.js') | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules loads synchronously
    other = require('../../lib/shared/shared-state') as typeof import('../../lib/shared/shared-state.js');
  });
  if (other === undefined) throw new Error('isolateModules did not load shared-state');
  return other;
}

const fail = (): never => {
  throw new Error('down');
};

describe('sharedState', () => {
  it('creates a slot once, with the first creator, and returns it to every module instance', () => {
    const create = jest.fn(() => ({ hits: 0 }));
    const slot = sharedState('spec-slot', create);
    const otherCopy = loadSharedStateCopy();
    expect(otherCopy.sharedState).not.toBe(sharedState);
    const otherCreate = jest.fn(() => ({ hits: 99 }));
    expect(otherCopy.sharedState('spec-slot', otherCreate)).toBe(slot);
    expect(sharedState('spec-slot', create)).toBe(slot);
    expect(create).toHaveBeenCalledTimes(1);
    expect(otherCreate).not.toHaveBeenCalled();
    expect(otherCopy.sharedState('spec-other-slot', () => 'b')).toBe('b');
  });

  it('keeps the state under a registered, versioned symbol that cannot be overwritten or enumerated', () => {
    expect(SHARED_STATE_KEY).toBe(Symbol.for('breakwater.shared.v1'));
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, SHARED_STATE_KEY);
    expect(descriptor).toMatchObject({ writable: false, enumerable: false, configurable: false });
    expect(Object.keys(descriptor?.value as object)).toEqual(
      expect.arrayContaining(['circuitBreakerRegistry', 'bulkheadRegistry', 'globalChannels', 'deliveryQueue']),
    );
  });
});

describe('two copies of breakwater in one process', () => {
  const second = loadAnotherCopy();

  it('are really two copies', () => {
    expect(second.circuitBreaker).not.toBe(first.circuitBreaker);
    expect(second.CircuitOpenError).not.toBe(first.CircuitOpenError);
  });

  it('share one breaker per name, its transitions on both global streams, and its errors', async () => {
    const changes: [string, string][] = [];
    const events: string[] = [];
    const subs = [
      first.stateChanges$.subscribe((c) => changes.push(['first', `${c.name}:${c.to}`])),
      second.stateChanges$.subscribe((c) => changes.push(['second', `${c.name}:${c.to}`])),
      second.events$.subscribe((e) => events.push(`${e.name}:${e.type}`)),
    ];
    try {
      const breaker = first.circuitBreaker({ name: 'ss-shared', failureThreshold: 1 });
      expect(second.getCircuitBreaker('ss-shared')).toBe(breaker);
      expect(second.listCircuitBreakers()).toContain(breaker);
      await expect(breaker.execute(fail)).rejects.toThrow('down');

      const again = second.circuitBreaker({ name: 'ss-shared', failureThreshold: 1 });
      expect(again).toBe(breaker);
      expect(again.state).toBe('open');
      const rejection: unknown = await again.execute(() => 'never run').catch((e: unknown) => e);
      expect(second.isCircuitOpenError(rejection)).toBe(true);
      expect(first.isCircuitOpenError(rejection)).toBe(true);
      expect(changes).toEqual([
        ['first', 'ss-shared:open'],
        ['second', 'ss-shared:open'],
      ]);
      expect(events).toEqual(['ss-shared:failure', 'ss-shared:state_change', 'ss-shared:rejected']);
      expect(() => second.circuitBreaker({ name: 'ss-shared', failureThreshold: 2 })).toThrow(
        /differs in failureThreshold/,
      );
    } finally {
      for (const sub of subs) sub.unsubscribe();
    }
  });

  it('compose() in one copy accepts a breaker made by the other', async () => {
    const breaker = second.circuitBreaker({ name: 'ss-composed', failureThreshold: 1 });
    const policy = first.compose(first.retry({ maxAttempts: 2, delay: 0 }), breaker);
    await expect(policy.execute(fail)).rejects.toThrow('down');
    expect(first.getCircuitBreaker('ss-composed')?.state).toBe('open');
    expect(breaker.snapshot().metrics.failedCalls).toBe(1);
  });

  it('share one bulkhead per name', async () => {
    // bulkhead() wraps the registered bulkhead in a new policy each time: compare what they count.
    const pool = first.bulkhead({ name: 'ss-pool', maxConcurrent: 1, maxQueue: 0 });
    const samePool = second.bulkhead({ name: 'ss-pool', maxConcurrent: 1, maxQueue: 0 });
    expect(() => second.bulkhead({ name: 'ss-pool', maxConcurrent: 2 })).toThrow(/other limits/);
    let release = (): void => undefined;
    const held = pool.execute(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      expect(second.getBulkhead('ss-pool')?.active).toBe(1);
      expect(samePool.active).toBe(1);
      const full: unknown = await samePool.execute(() => 'never run').catch((e: unknown) => e);
      expect(first.isBulkheadFullError(full)).toBe(true);
      expect(second.listBulkheads().map((b) => b.name)).toContain('ss-pool');
    } finally {
      release();
      await held;
    }
    expect(second.getBulkhead('ss-pool')?.active).toBe(0);
  });

  it('deliver in the order things happened when a subscriber of one copy trips a breaker of the other', async () => {
    // Anonymous breakers stay per copy, so each one's own stream is a channel of its copy's class.
    const log: string[] = [];
    const run = async (a: Breakwater, b: Breakwater): Promise<string[]> => {
      log.length = 0;
      const outer = a.circuitBreaker({ failureThreshold: 1 });
      const inner = b.circuitBreaker({ failureThreshold: 1 });
      const subs = [
        outer.stateChanges$.subscribe((c) => {
          log.push(`outer-own:${c.to}`);
          if (c.to === 'open') void inner.execute(fail).catch(() => undefined);
        }),
        inner.stateChanges$.subscribe((c) => log.push(`inner-own:${c.to}`)),
        a.stateChanges$.subscribe((c) => log.push(`global:${c.to}`)),
      ];
      try {
        await outer.execute(fail).catch(() => undefined);
        await Promise.resolve();
        return [...log];
      } finally {
        for (const sub of subs) sub.unsubscribe();
      }
    };
    const oneCopy = await run(first, first);
    expect(oneCopy).toEqual(['outer-own:open', 'global:open', 'inner-own:open', 'global:open']);
    expect(await run(first, second)).toEqual(oneCopy);
    expect(await run(second, first)).toEqual(oneCopy);
  });
});
