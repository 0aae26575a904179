import { getPolicyMetadata } from '../../lib/decorators/get-policy-metadata.js';
import { Timeout } from '../../lib/decorators/timeout.js';
import { currentSignal } from '../../lib/runtime/async-context.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../lib/errors/policy-config-error.js';
import { isTimeoutError } from '../../lib/errors/timeout-error.js';
import { events$ } from '../../lib/events/streams.js';
import type { ResilienceEvent } from '../../lib/events/types.js';
import { flushMicrotasks, track } from '../policies/bulkhead/test-kit.js';

describe('@Timeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('rejects with a TimeoutError named after Class.method and emits a timeout event', async () => {
    const seen: ResilienceEvent[] = [];
    const sub = events$.subscribe((e) => seen.push(e));
    class Api {
      @Timeout({ duration: 200 })
      async get(): Promise<string> {
        return new Promise(() => undefined);
      }
    }
    const result = track(new Api().get());
    await jest.advanceTimersByTimeAsync(200);
    expect(isTimeoutError(result.value)).toBe(true);
    expect(result.value).toMatchObject({ duration: 200, policyName: 'Api.get' });
    expect(seen).toEqual([
      expect.objectContaining({ type: 'timeout', name: 'Api.get', policy: 'timeout', duration: 200 }),
    ]);
    sub.unsubscribe();
  });

  it('passes this, arguments and the result through when the method is fast enough', async () => {
    class Echo {
      readonly me = 'echo';
      @Timeout(1_000)
      async say(a: number, b: string): Promise<string> {
        return `${this.me}:${a}:${b}`;
      }
    }
    await expect(new Echo().say(1, 'x')).resolves.toBe('echo:1:x');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('gives the method a signal through currentSignal() even when the caller passed none', async () => {
    let signal: AbortSignal | undefined;
    class Listens {
      @Timeout(100)
      async go(): Promise<void> {
        await Promise.resolve();
        signal = currentSignal();
        await new Promise(() => undefined);
      }
    }
    const result = track(new Listens().go());
    await jest.advanceTimersByTimeAsync(100);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(result.value);
  });

  it('validates the duration when the class is defined', () => {
    let caught: unknown;
    try {
      class Bad {
        @Timeout(-5)
        async go(): Promise<void> {}
      }
      void Bad;
    } catch (error) {
      caught = error;
    }
    expect(isPolicyConfigError(caught)).toBe(true);
    expect((caught as PolicyConfigError).issues).toEqual([expect.objectContaining({ field: 'duration', value: -5 })]);
  });

  it('times each call separately and records its options as metadata', async () => {
    class Twice {
      @Timeout(100)
      async go(ms: number): Promise<number> {
        await new Promise((r) => setTimeout(r, ms));
        return ms;
      }
    }
    const t = new Twice();
    const fast = track(t.go(50));
    const slow = track(t.go(150));
    await jest.advanceTimersByTimeAsync(100);
    await flushMicrotasks();
    expect(fast).toEqual({ state: 'resolved', value: 50 });
    expect(isTimeoutError(slow.value)).toBe(true);
    await jest.advanceTimersByTimeAsync(100);
    expect(jest.getTimerCount()).toBe(0);
    expect(getPolicyMetadata(Twice, 'go')?.policies).toEqual([{ kind: 'timeout', options: 100 }]);
  });
});
