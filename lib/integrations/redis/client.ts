/**
 * The few commands the store needs, over either client: the official `redis` (node-redis 4 and
 * later) or `ioredis`. Recognised by shape, so neither library is imported here.
 * @internal
 */
export interface RedisCommands {
  evalsha(sha: string, key: string, args: readonly string[]): Promise<unknown>;
  scriptLoad(source: string): Promise<unknown>;
  /** A new connection for subscriptions (a connection that subscribes can send nothing else). */
  subscriber(): RedisSubscriber;
}

/** @internal */
export interface RedisSubscriber {
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /** `callback` runs each time the connection is ready again (subscriptions are restored by the client). */
  onReady(callback: () => void): void;
  close(): Promise<void>;
}

type Fn = (...args: never[]) => unknown;
type Listener = (...args: unknown[]) => void;

interface Emitter {
  on(event: string, listener: Listener): unknown;
}

interface NodeRedisLike extends Emitter {
  sendCommand(args: readonly string[]): Promise<unknown>;
  duplicate(): NodeRedisLike;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  destroy?(): void;
  disconnect(): Promise<unknown>;
  isOpen: boolean;
}

interface IORedisLike extends Emitter {
  evalsha(sha: string, keys: number, ...args: string[]): Promise<unknown>;
  script(command: 'LOAD', source: string): Promise<unknown>;
  duplicate(): IORedisLike;
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  disconnect(): void;
  status: string;
}

function has(value: unknown, ...names: string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof (record[name] as Fn | undefined) === 'function');
}

/** Which client `value` is, if either. @internal */
export function clientKind(value: unknown): 'node-redis' | 'ioredis' | undefined {
  // ioredis first: it too has sendCommand, connect and subscribe, but node-redis has no `evalsha`
  // (its commands are EVALSHA and evalSha) and no `status`.
  if (has(value, 'evalsha', 'script', 'duplicate', 'subscribe') && typeof (value as IORedisLike).status === 'string')
    return 'ioredis';
  if (has(value, 'sendCommand', 'duplicate', 'connect', 'subscribe')) return 'node-redis';
  return undefined;
}

/** The commands of a client whose kind {@link clientKind} found. @internal */
export function commandsOf(client: unknown, kind: 'node-redis' | 'ioredis'): RedisCommands {
  if (kind === 'node-redis') {
    const c = client as NodeRedisLike;
    return {
      evalsha: (sha, key, args) => c.sendCommand(['EVALSHA', sha, '1', key, ...args]),
      scriptLoad: (source) => c.sendCommand(['SCRIPT', 'LOAD', source]),
      subscriber: () => nodeRedisSubscriber(c.duplicate()),
    };
  }
  const c = client as IORedisLike;
  return {
    evalsha: (sha, key, args) => c.evalsha(sha, 1, key, ...args),
    scriptLoad: (source) => c.script('LOAD', source),
    subscriber: () => ioredisSubscriber(c.duplicate()),
  };
}

// A connection of our own must have an 'error' listener, or an error event would end the process;
// the breakers learn of a lost store from their commands' deadlines.
const ignore = (): void => undefined;

function nodeRedisSubscriber(sub: NodeRedisLike): RedisSubscriber {
  sub.on('error', ignore);
  // Connected on first use; a first connection that failed is tried again by the next subscription
  // (once connected, the client reconnects and resubscribes by itself).
  let connecting: Promise<unknown> | undefined;
  const connect = (): Promise<unknown> => {
    if (sub.isOpen) return Promise.resolve();
    const attempt = (connecting ??= sub.connect());
    attempt.catch(() => {
      if (connecting === attempt) connecting = undefined;
    });
    return attempt;
  };
  return {
    subscribe: async (channel, listener) => {
      await connect();
      await sub.subscribe(channel, listener);
    },
    unsubscribe: async (channel) => {
      if (sub.isOpen) await sub.unsubscribe(channel);
    },
    onReady: (callback) => void sub.on('ready', callback),
    close: async () => {
      if (sub.destroy !== undefined) sub.destroy();
      else if (sub.isOpen) await sub.disconnect();
    },
  };
}

function ioredisSubscriber(sub: IORedisLike): RedisSubscriber {
  sub.on('error', ignore);
  const listeners = new Map<string, (message: string) => void>();
  sub.on('message', (channel, message) => listeners.get(channel as string)?.(message as string));
  return {
    subscribe: async (channel, listener) => {
      listeners.set(channel, listener);
      await sub.subscribe(channel);
    },
    unsubscribe: async (channel) => {
      listeners.delete(channel);
      if (sub.status === 'ready') await sub.unsubscribe(channel);
    },
    onReady: (callback) => void sub.on('ready', callback),
    close: () => {
      sub.disconnect();
      return Promise.resolve();
    },
  };
}
