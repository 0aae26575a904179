import { AsyncLocalStorage } from 'node:async_hooks';
import type { Scope } from './scope.js';

// Created on first use: before Node 24, once AsyncLocalStorage has run, every `await` in the
// process pays for its promise hooks. Calls that nothing can cancel never get here.
let storage: AsyncLocalStorage<Scope> | undefined;

/** @internal */
export function runInScope<T>(scope: Scope, fn: () => T): T {
  storage ??= new AsyncLocalStorage<Scope>();
  return storage.run(scope, fn);
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
 */
export function currentSignal(): AbortSignal | undefined {
  return storage?.getStore()?.signal();
}
