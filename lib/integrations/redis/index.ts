/**
 * `breakwater/redis`: circuit breakers shared by every process of a service through Redis.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { circuitBreaker } from 'breakwater';
 * import { redisStore } from 'breakwater/redis';
 *
 * const redis = createClient({ url: process.env.REDIS_URL });
 * redis.on('error', (error) => log.warn(error));
 * await redis.connect();
 * const store = redisStore(redis);
 * const payments = circuitBreaker({ name: 'payments', store });
 * ```
 * @packageDocumentation
 * @module breakwater/redis
 */
import type { BreakerStore } from '../../index.js';
import { clientKind, commandsOf } from './client.js';
import { resolveRedisStoreOptions, type RedisStoreOptions } from './options.js';
import { RedisBreakerStore } from './store.js';

export type { RedisStoreOptions } from './options.js';

/**
 * A breaker store on Redis, given to breakers as their `store` option. Closes its own subscription
 * connection with `close()`; the client passed in stays yours (connect it first, and give it an
 * `'error'` listener).
 * @category Redis
 */
export interface RedisStore extends BreakerStore {
  /**
   * Closes the connection the store opened to listen for changes, for good: a breaker that still
   * calls through it afterwards carries on as if Redis were away (`store_unavailable`, then
   * `onStoreFailure`), and no connection is opened again.
   */
  close(): Promise<void>;
}

/**
 * Creates a store through which breakers of many processes share their circuit: pass it with a
 * `name` as `circuitBreaker({ name, store })` or `@CircuitBreaker({ name, store })`. Nothing is sent
 * to Redis before a breaker's first call. See docs/shared-state.md.
 *
 * @param client - a connected client of `redis` (node-redis 4 or later) or of `ioredis`.
 * @param options - key prefix, command deadline, and what breakers do while Redis is unavailable.
 * @throws PolicyConfigError for a value that is not such a client, or a bad option.
 * @example
 * ```ts
 * const store = redisStore(redis, { prefix: 'checkout:', commandTimeout: 50 });
 *
 * class PaymentsClient {
 *   @CircuitBreaker({ name: 'payments', store, failureRateThreshold: 0.5 })
 *   charge(order: Order): Promise<Receipt> { … }
 * }
 * ```
 * @category Redis
 */
export function redisStore(client: unknown, options?: RedisStoreOptions): RedisStore {
  const resolved = resolveRedisStoreOptions(client, options);
  return new RedisBreakerStore(commandsOf(client, clientKind(client)!), resolved);
}
