import type {
  BreakerStore,
  BreakerStoreSession,
  SharedCircuitState,
  SharedRules,
  StoreFailureMode,
} from '../../index.js';
import type { RedisCommands, RedisSubscriber } from './client.js';
import type { ResolvedRedisStoreOptions } from './options.js';
import { OPS_LUA } from './script-ops.js';
import { WINDOW_LUA } from './script-window.js';
import { decodeState, encodeRules, keyOf } from './wire.js';

const SCRIPT = WINDOW_LUA + OPS_LUA;

/**
 * A {@link BreakerStore} on Redis: one hash per breaker, changed only by one Lua script (loaded once,
 * run with EVALSHA, reloaded after a NOSCRIPT), which also publishes every change of state.
 * @internal
 */
export class RedisBreakerStore implements BreakerStore {
  readonly commandTimeout: number;
  readonly onStoreFailure: StoreFailureMode;
  private readonly prefix: string;
  private sha: Promise<string> | undefined;
  private sub: RedisSubscriber | undefined;
  private readonly sessions = new Set<RedisSession>();
  /** Set by `close()`: the store is done, and its commands fail. @internal */
  closed = false;

  constructor(
    private readonly commands: RedisCommands,
    options: ResolvedRedisStoreOptions,
  ) {
    this.prefix = options.prefix;
    this.commandTimeout = options.commandTimeout;
    this.onStoreFailure = options.onStoreFailure;
  }

  session(
    name: string,
    rules: SharedRules,
    onChange: (state: SharedCircuitState) => void,
    onResubscribed: () => void,
  ): BreakerStoreSession {
    const session = new RedisSession(this, keyOf(this.prefix, name), rules, onChange, onResubscribed);
    this.sessions.add(session);
    return session;
  }

  /** Runs the script on `key` (loading it first, and again if Redis lost it). @internal */
  async run(key: string, args: readonly string[]): Promise<string> {
    const sha = await (this.sha ??= this.load());
    try {
      return String(await this.commands.evalsha(sha, key, args));
    } catch (error) {
      if (!String((error as Error | undefined)?.message).startsWith('NOSCRIPT')) throw error;
      this.sha = this.load();
      return String(await this.commands.evalsha(await this.sha, key, args));
    }
  }

  /** The connection that listens for published changes, opened with the first session. @internal */
  subscriber(): RedisSubscriber {
    if (this.sub === undefined) {
      const sub = (this.sub = this.commands.subscriber());
      sub.onReady(() => {
        for (const session of this.sessions) session.resubscribed();
      });
    }
    return this.sub;
  }

  /** Stops listening to `key`'s channel, on the listening connection if it is still open. @internal */
  async unsubscribe(key: string): Promise<void> {
    await this.sub?.unsubscribe(key);
  }

  /** @internal */
  forget(session: RedisSession): void {
    this.sessions.delete(session);
  }

  /** Closes the subscription connection for good (the client passed in stays the caller's). */
  async close(): Promise<void> {
    this.closed = true;
    const sub = this.sub;
    this.sub = undefined;
    this.sessions.clear();
    await sub?.close();
  }

  private load(): Promise<string> {
    const loading = this.commands.scriptLoad(SCRIPT).then(String);
    // A failed load is tried again by the next command.
    loading.catch(() => {
      if (this.sha === loading) this.sha = undefined;
    });
    return loading;
  }
}

/** One breaker's commands: every one a single EVALSHA on its hash. @internal */
class RedisSession implements BreakerStoreSession {
  private readonly rules: string;
  private subscribed: Promise<void> | undefined;
  private closed = false;
  /** Whether the latest subscription failed. */
  private unheard = false;
  /** The breaker's consecutive openings, as last seen: the next re-opening's delay depends on it. */
  private opens = 0;

  constructor(
    private readonly store: RedisBreakerStore,
    private readonly key: string,
    private readonly shared: SharedRules,
    private readonly onChange: (state: SharedCircuitState) => void,
    private readonly onResubscribed: () => void,
  ) {
    this.rules = encodeRules(shared);
  }

  read(): Promise<SharedCircuitState> {
    return this.call('read');
  }

  report(gen: number, outcomes: string): Promise<SharedCircuitState> {
    return this.call('report', String(gen), outcomes);
  }

  admit(token: string): Promise<SharedCircuitState> {
    return this.call('admit', token);
  }

  settle(gen: number, token: string, outcome: string): Promise<SharedCircuitState> {
    return this.call('settle', String(gen), token, outcome);
  }

  command(change: 'forced_open' | 'disabled' | 'reset'): Promise<SharedCircuitState> {
    return this.call('command', change);
  }

  close(): void {
    this.closed = true;
    this.store.forget(this);
    const subscribed = this.subscribed;
    // Cleared first: a subscription still being set up then neither calls back nor stays behind.
    this.subscribed = undefined;
    if (subscribed !== undefined) void subscribed.then(() => this.store.unsubscribe(this.key)).catch(() => undefined);
  }

  /** @internal */
  resubscribed(): void {
    this.onResubscribed();
  }

  private async call(op: string, ...args: string[]): Promise<SharedCircuitState> {
    if (this.store.closed) throw new Error('breakwater/redis: this store was closed (store.close())');
    if (!this.closed && this.subscribed === undefined) {
      const subscribing = (this.subscribed = this.subscribe());
      // After a subscription failed (say, an ACL without SUBSCRIBE), the next one must succeed before a
      // command does: a store that cannot tell this process of changes counts as unavailable.
      if (this.unheard) await subscribing;
    }
    const delays = [String(this.shared.resetDelay(1)), String(this.shared.resetDelay(this.opens + 1))];
    const state = decodeState(await this.store.run(this.key, [op, this.rules, ...delays, ...args]));
    this.opens = state.consecutiveOpens;
    return state;
  }

  /**
   * Starts listening to the breaker's channel, beside the command that asked for it rather than
   * before it: the listening connection is the store's own and may still be connecting (TLS, a cold
   * start), which must not count against the command's deadline. Once the subscription is in place
   * the breaker reads the hash again, so a change published while it was being set up is not missed.
   * A subscription that failed is tried again by the next command, which waits for it.
   */
  private subscribe(): Promise<void> {
    const subscribing = this.store.subscriber().subscribe(this.key, (message) => {
      const state = decodeState(message);
      this.opens = state.consecutiveOpens;
      this.onChange(state);
    });
    subscribing.then(
      () => {
        this.unheard = false;
        if (this.subscribed === subscribing) this.onResubscribed();
      },
      () => {
        this.unheard = true;
        if (this.subscribed === subscribing) this.subscribed = undefined;
      },
    );
    return subscribing;
  }
}
