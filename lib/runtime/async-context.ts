import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { Scope } from './scope.js';

// Created on first use: before Node 24, once AsyncLocalStorage has run, every `await` in the
// process pays for its promise hooks. Calls that nothing can cancel never get here.
let storage: AsyncLocalStorage<Scope> | undefined;

// From Node 24 the context is a V8 frame (AsyncContextFrame, a Map copied on every change), and
// `run` makes two: one to enter and one to leave, each copying the frame it starts from (~0.3 µs a
// call here). An AsyncResource puts the caller's own frame back when it returns, so entering the
// store inside it makes one frame and copies back nothing (~0.12 µs). Before Node 24 the context
// lives on async resources behind promise hooks: a resource per call costs more there, `run` less.
const FRAMES = Number(process.versions.node.split('.')[0]) >= 24;
const RESOURCE_TYPE = 'breakwater.call';

/**
 * Runs `fn` (a decorated method, synchronously) inside the async context of `scope`, so that
 * `currentSignal()` returns the scope's signal in it, across awaits; the caller's context is
 * unchanged when it returns.
 * @internal
 */
export function runInScope<T>(scope: Scope, fn: () => T): T {
  const store = (storage ??= new AsyncLocalStorage<Scope>());
  if (!FRAMES) return store.run(scope, fn);
  return new AsyncResource(RESOURCE_TYPE).runInAsyncScope(() => {
    store.enterWith(scope);
    return fn();
  });
}

/**
 * The AbortSignal of the decorated call that is running, from anywhere inside the method (across
 * awaits); `undefined` when the call can't be cancelled (no `@Timeout`, no caller signal) or when
 * not called from inside a decorated method. It aborts when the caller's signal aborts or the
 * attempt times out, with that reason.
 *
 * @returns the running call's signal, or `undefined`.
 * @example
 * ```ts
 * class UserClient {
 *   @Timeout(2_000)
 *   async get(id: string): Promise<User> {
 *     const res = await fetch(`${base}/users/${id}`, { signal: currentSignal() });
 *     return (await res.json()) as User;
 *   }
 * }
 * ```
 * @category Timeout
 */
export function currentSignal(): AbortSignal | undefined {
  return storage?.getStore()?.signal();
}
