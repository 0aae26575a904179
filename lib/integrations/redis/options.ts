import { PolicyConfigError, type ConfigIssue, type StoreFailureMode } from '../../index.js';
import { clientKind } from './client.js';

/**
 * Options of {@link redisStore}.
 *
 * @example
 * ```ts
 * import type { RedisStoreOptions } from 'breakwater/redis';
 *
 * const options: RedisStoreOptions = { prefix: 'orders:', commandTimeout: 100, onStoreFailure: 'local' };
 * ```
 * @category Redis
 */
export interface RedisStoreOptions {
  /**
   * The start of every key and channel: a breaker `payments` lives in the hash
   * `<prefix>{payments}:cb` (the braces keep it in one Redis Cluster slot).
   * @defaultValue `'breakwater:'`
   */
  readonly prefix?: string;
  /**
   * The deadline breakwater puts on every Redis command, ms: a command not answered by then counts
   * as the store being unavailable (a client's own timeout may not cover a paused server).
   * @defaultValue 100
   */
  readonly commandTimeout?: number;
  /**
   * What breakers do while Redis is unavailable: `'local'` carries on from the last shared state,
   * judging this process's own calls; `'open'` rejects every call; `'closed'` admits every call.
   * @defaultValue `'local'`
   */
  readonly onStoreFailure?: StoreFailureMode;
}

/** @internal */
export interface ResolvedRedisStoreOptions {
  readonly prefix: string;
  readonly commandTimeout: number;
  readonly onStoreFailure: StoreFailureMode;
}

const WHERE = 'redisStore()';
const KNOWN = ['prefix', 'commandTimeout', 'onStoreFailure'];
const MODES: readonly StoreFailureMode[] = ['local', 'open', 'closed'];

/**
 * Checks the client and the options of {@link redisStore}.
 * @throws PolicyConfigError naming each bad argument.
 * @internal
 */
export function resolveRedisStoreOptions(client: unknown, raw: unknown): ResolvedRedisStoreOptions {
  const issues: ConfigIssue[] = [];
  const fail = (field: string, value: unknown, expected: string): void => {
    issues.push({ field, value, expected });
  };
  if (clientKind(client) === undefined) {
    fail('client', client, "a client of 'redis' (createClient(), connected) or of 'ioredis'");
  }
  let o: Record<string, unknown> = {};
  if (raw !== undefined) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      fail('options', raw, 'an object');
    } else {
      o = raw as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        if (!KNOWN.includes(key)) fail(key, o[key], `a known option (${KNOWN.join(', ')})`);
      }
    }
  }
  const { prefix, commandTimeout, onStoreFailure } = o;
  if (prefix !== undefined && (typeof prefix !== 'string' || /[{}]/.test(prefix))) {
    fail('prefix', prefix, 'a string without braces (they would change the Redis Cluster hash slot)');
  }
  if (
    commandTimeout !== undefined &&
    (typeof commandTimeout !== 'number' ||
      !Number.isInteger(commandTimeout) ||
      commandTimeout < 1 ||
      commandTimeout > 60_000)
  ) {
    fail('commandTimeout', commandTimeout, 'an integer number of milliseconds from 1 to 60000');
  }
  if (onStoreFailure !== undefined && !MODES.includes(onStoreFailure as StoreFailureMode)) {
    fail('onStoreFailure', onStoreFailure, "one of 'local', 'open', 'closed'");
  }
  if (issues.length > 0) throw new PolicyConfigError(WHERE, issues);
  return {
    prefix: (prefix as string | undefined) ?? 'breakwater:',
    commandTimeout: (commandTimeout as number | undefined) ?? 100,
    onStoreFailure: (onStoreFailure as StoreFailureMode | undefined) ?? 'local',
  };
}
