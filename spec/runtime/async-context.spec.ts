import { AsyncLocalStorage } from 'node:async_hooks';
import { Timeout } from '../../lib/decorators/timeout.js';
import { currentSignal, runInScope } from '../../lib/runtime/async-context.js';
import { ChildScope, NO_SCOPE } from '../../lib/runtime/scope.js';

// How the store is entered depends on the Node version (an AsyncResource from Node 24, `run`
// before): these specs pin what both must do, and run on whichever Node runs Jest.
describe('runInScope / currentSignal', () => {
  const user = new AsyncLocalStorage<string>();

  class Service {
    started = false;
    @Timeout(60_000)
    async read(): Promise<[string | undefined, AbortSignal | undefined, AbortSignal | undefined, string | undefined]> {
      this.started = true;
      const first = currentSignal();
      const before = user.getStore();
      await Promise.resolve();
      await new Promise((resolve) => setImmediate(resolve));
      return [before, first, currentSignal(), user.getStore()];
    }
    @Timeout(60_000)
    throwsAtOnce(): Promise<void> {
      throw new Error('sync');
    }
  }

  it("starts the method at once, with the caller's own context and the call's signal across awaits", async () => {
    await user.run('request-7', async () => {
      const service = new Service();
      const pending = service.read();
      expect(service.started).toBe(true);
      const [before, first, later, after] = await pending;
      expect([before, after]).toEqual(['request-7', 'request-7']);
      expect(first).toBeInstanceOf(AbortSignal);
      expect(later).toBe(first);
    });
  });

  it("leaves the caller's context as it was, right after the call and after awaiting it", async () => {
    await user.run('outer', async () => {
      const pending = new Service().read();
      expect(currentSignal()).toBeUndefined();
      expect(user.getStore()).toBe('outer');
      await pending;
      expect(currentSignal()).toBeUndefined();
      expect(user.getStore()).toBe('outer');
    });
  });

  it('gives nested calls their own signal and gives the outer one back when the inner returns', async () => {
    const seen: Record<string, AbortSignal | undefined> = {};
    class Nested {
      @Timeout(60_000)
      async outer(): Promise<void> {
        seen.outerBefore = currentSignal();
        const inner = this.inner();
        seen.outerAfterCall = currentSignal();
        await inner;
        seen.outerAfterAwait = currentSignal();
      }
      @Timeout(60_000)
      async inner(): Promise<void> {
        await Promise.resolve();
        seen.inner = currentSignal();
      }
    }
    await new Nested().outer();
    expect(seen.outerBefore).toBeInstanceOf(AbortSignal);
    expect(seen.inner).toBeInstanceOf(AbortSignal);
    expect(seen.inner).not.toBe(seen.outerBefore);
    expect(seen.outerAfterCall).toBe(seen.outerBefore);
    expect(seen.outerAfterAwait).toBe(seen.outerBefore);
  });

  it('restores the context when the method throws synchronously', async () => {
    await expect(new Service().throwsAtOnce()).rejects.toThrow('sync');
    expect(currentSignal()).toBeUndefined();
    const [, first] = await new Service().read();
    expect(first).toBeInstanceOf(AbortSignal);
  });

  it('returns what the function returns and rethrows what it throws, in the scope while it runs', () => {
    const scope = new ChildScope(NO_SCOPE);
    expect(runInScope(scope, () => currentSignal())).toBe(scope.signal());
    expect(currentSignal()).toBeUndefined();
    const boom = new Error('boom');
    expect(() =>
      runInScope(scope, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(currentSignal()).toBeUndefined();
    scope.dispose();
  });
});
