import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { createClient } from 'redis';
import IORedis from 'ioredis';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import {
  circuitBreaker,
  CircuitBreaker,
  isCircuitOpenError,
  isPolicyConfigError,
  type CircuitStateChange,
  type ResilienceEvent,
  type SharedCircuitState,
  type SharedRules,
} from '../../../lib/index';
import { redisStore, type RedisStore } from '../../../lib/integrations/redis/index';
import { decodeState } from '../../../lib/integrations/redis/wire';
import { registerOpenTelemetryMetrics } from '../../../lib/integrations/opentelemetry/index';
import { registerPrometheusMetrics } from '../../../lib/integrations/prometheus/index';
import { Registry } from 'prom-client';
import { testSdk, valueOf as otelValue } from '../opentelemetry/sdk';
import { parseExposition, valueOf as promValue } from '../prometheus/exposition-parser';
import { describeRedis, startRedis, type LocalRedis } from '../../support/redis';

// One process against a real redis-server. The other processes of a fleet are stood in for by
// sessions of a second store (the interface every breaker uses), so every step can be checked.

type Client = ReturnType<typeof createClient>;
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const fail = (): Promise<never> => Promise.reject(new Error('dependency down'));
const ok = async (): Promise<string> => 'ok';
let names = 0;
const fresh = (what: string): string => `${what}-${++names}-${process.pid}`;

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, ms = 3_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(value)}`);
    await sleep(5);
  }
}

/**
 * A loopback relay to the server that lets its first connection (the client's own) through and holds
 * every later one until `release()`: the store's listening connection, slow to connect, without timing.
 */
async function holdingRelay(port: number): Promise<{
  readonly url: string;
  waiting(): number;
  connections(): number;
  release(): void;
  close(): Promise<void>;
}> {
  const held: Array<() => void> = [];
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((inbound) => {
    sockets.add(inbound);
    inbound.on('error', () => undefined);
    const pass = (): void => {
      const outbound = connect(port, '127.0.0.1');
      outbound.on('error', () => undefined);
      sockets.add(outbound);
      inbound.pipe(outbound).pipe(inbound);
    };
    if (count++ === 0) pass();
    else held.push(pass);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    waiting: () => held.length,
    connections: () => count,
    release: () => {
      for (const pass of held.splice(0)) pass();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

/** The rules of a breaker with these options, as the store receives them. */
function rules(overrides: Partial<SharedRules> = {}): SharedRules {
  return {
    thresholdRule: 'consecutive',
    failureThreshold: 5,
    failureWindow: undefined,
    failureRateThreshold: undefined,
    slowCallRateThreshold: undefined,
    slidingWindow: { type: 'count', size: 100 },
    minimumCalls: 10,
    halfOpenMaxCalls: 1,
    successThreshold: 2,
    probeLease: 30_000,
    resetDelay: () => 60_000,
    ...overrides,
  };
}

describeRedis('redisStore: one process and its store', () => {
  let redis: LocalRedis;
  let client: Client;
  let store: RedisStore;
  let other: RedisStore;
  const key = (name: string): string => `breakwater:{${name}}:cb`;

  beforeAll(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    store = redisStore(client);
    other = redisStore(client);
  }, 30_000);

  afterAll(async () => {
    await store?.close();
    await other?.close();
    await client?.quit();
    await redis?.stop();
  });

  it('rejects what is not a client, and bad options, naming each', () => {
    const thrown = (() => {
      try {
        redisStore({}, { prefix: 'a{b}', commandTimeout: 0, onStoreFailure: 'maybe' as never, ttl: 1 } as never);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(isPolicyConfigError(thrown)).toBe(true);
    const message = (thrown as Error).message;
    for (const part of [
      'redisStore()',
      'client',
      'prefix',
      'commandTimeout',
      'onStoreFailure',
      "'local', 'open', 'closed'",
      'ttl',
    ])
      expect(message).toContain(part);
    expect(() => redisStore(client, 'fast' as never)).toThrow(/options must be an object/);
    expect(() => redisStore(client, { commandTimeout: 1.5 })).toThrow(/commandTimeout must be an integer/);
  });

  it('writes nothing and opens no connection until a breaker is called', async () => {
    const name = fresh('idle');
    const connections = async (): Promise<number> =>
      (await client.sendCommand<string>(['CLIENT', 'LIST'])).split('\n').filter(Boolean).length;
    const before = await connections();
    const lazy = redisStore(client);
    const breaker = circuitBreaker({ name, store: lazy });
    class Api {
      @CircuitBreaker({ name: `${name}-decorated`, store: lazy })
      async get(): Promise<string> {
        return 'ok';
      }
    }
    expect(await client.keys('breakwater:*' + name + '*')).toEqual([]);
    expect(await connections()).toBe(before);

    await expect(breaker.execute(ok)).resolves.toBe('ok');
    await expect(new Api().get()).resolves.toBe('ok');
    await until(
      () => client.exists(key(name)),
      (n) => n === 1,
    );
    expect(await connections()).toBe(before + 1); // the store's one subscription connection
    const ttl = await client.pTTL(key(name));
    expect(ttl).toBeGreaterThan(86_000_000);
    expect(ttl).toBeLessThanOrEqual(86_400_000);
    breaker.dispose();
    await lazy.close();
    expect(await connections()).toBe(before);
  });

  it('keeps each breaker in one hash, tagged for Redis Cluster, under its prefix', async () => {
    const name = fresh('layout');
    const prefixed = redisStore(client, { prefix: 'checkout:' });
    const breaker = circuitBreaker({ name, store: prefixed, failureThreshold: 2 });
    await expect(breaker.execute(fail)).rejects.toThrow('dependency down');
    const hash = await until(
      () => client.hGetAll(`checkout:{${name}}:cb`),
      (h) => h['cf'] === '1',
    );
    expect(hash).toMatchObject({ st: 'closed', cf: '1' });
    breaker.dispose();
    await prefixed.close();
  });

  it('opens when another process reports the failure that reaches the threshold, and publishes it here', async () => {
    const name = fresh('remote-open');
    const breaker = circuitBreaker({ name, store, failureThreshold: 3 });
    const changes = firstValueFrom(breaker.stateChanges$.pipe(take(1)));
    await expect(breaker.execute(fail)).rejects.toThrow();
    await until(
      () => client.hGet(key(name), 'cf'),
      (cf) => cf === '1',
    );

    const remote = other.session(
      name,
      rules({ failureThreshold: 3 }),
      () => undefined,
      () => undefined,
    );
    const seen = await remote.read();
    const after = await remote.report(seen.gen, 'ff');
    expect(after).toMatchObject({ state: 'open', reason: 'failure_threshold', consecutiveOpens: 1 });
    expect(await changes).toMatchObject<Partial<CircuitStateChange>>({
      name,
      from: 'closed',
      to: 'open',
      reason: 'failure_threshold',
    });
    const rejected = await breaker.execute(ok).catch((e: unknown) => e);
    expect(isCircuitOpenError(rejected)).toBe(true);
    // A report from the closed generation that ended is stale: it changes nothing.
    expect(await remote.report(seen.gen, 'ffff')).toMatchObject({ state: 'open', gen: after.gen });
    remote.close();
    breaker.dispose();
  });

  it('counts calls admitted before it learnt the number of the closed period they belong to', async () => {
    const name = fresh('first-period');
    const breaker = circuitBreaker({ name, store, failureThreshold: 10 });
    const types: string[] = [];
    const subscription = breaker.events$.subscribe((e) => types.push(e.type));
    let release!: (error: Error) => void;
    const pending = new Promise<never>((_, reject) => (release = reject));
    // Admitted from a store that holds nothing yet (generation 0)…
    const slow = [1, 2, 3].map(() => breaker.execute(() => pending).catch(() => undefined));
    await sleep(20);
    // …then another call's report creates the key: the period gets its number from Redis's clock.
    await breaker.execute(ok);
    await until(
      () => client.hGet(key(name), 'st'),
      (st) => st === 'closed',
    );
    release(new Error('dependency down'));
    await Promise.all(slow);
    expect(
      await until(
        () => client.hGet(key(name), 'cf'),
        (cf) => cf === '3',
      ),
    ).toBe('3');
    expect(types.filter((t) => t === 'failure')).toHaveLength(3);
    expect(types).not.toContain('ignored');
    subscription.unsubscribe();
    breaker.dispose();
  });

  it('judges the shared window by the same rules as a local breaker: rates over a count window', async () => {
    const name = fresh('rates');
    const options = {
      failureRateThreshold: 0.5,
      slidingWindow: { type: 'count', size: 10 },
      minimumCalls: 10,
    } as const;
    const shared = circuitBreaker({ name, store, ...options });
    const local = circuitBreaker(options);
    const outcomes = 'sfsffssfsfssssfffsff';
    let sharedOpenedAt = -1;
    let localOpenedAt = -1;
    for (const [i, o] of [...outcomes].entries()) {
      const work = o === 'f' ? fail : ok;
      if (localOpenedAt < 0) {
        await local.execute(work).catch(() => undefined);
        if (local.state === 'open') localOpenedAt = i;
      }
      if (sharedOpenedAt < 0) {
        await shared.execute(work).catch(() => undefined);
        // The outcome is reported behind the call: wait until the store has counted it.
        await until(
          () => client.hGet(key(name), 'st').then((st) => [st, shared.snapshot().window.calls]),
          ([st, n]) => st === 'open' || n === Math.min(i + 1, 10),
        );
        if ((await client.hGet(key(name), 'st')) === 'open') sharedOpenedAt = i;
      }
    }
    expect(localOpenedAt).toBeGreaterThan(0);
    expect(sharedOpenedAt).toBe(localOpenedAt);
    expect(await client.hGet(key(name), 'why')).toBe('failure_rate');
    shared.dispose();
  });

  it('applies a time window, a failure window and the slow-call rate in the store', async () => {
    const timeWindow = other.session(
      fresh('time'),
      rules({
        thresholdRule: undefined,
        failureRateThreshold: 0.5,
        slidingWindow: { type: 'time', duration: 10_000 },
        minimumCalls: 4,
      }),
      () => undefined,
      () => undefined,
    );
    expect(await timeWindow.report(0, 'ss')).toMatchObject({ state: 'closed', window: { calls: 2, failedCalls: 0 } });
    const s = await timeWindow.report(0, 'f');
    expect(s).toMatchObject({ state: 'closed', window: { calls: 3, failedCalls: 1 } });
    expect(await timeWindow.report(s.gen, 'f')).toMatchObject({ state: 'open', reason: 'failure_rate' });

    const failureWindow = other.session(
      fresh('fwin'),
      rules({ thresholdRule: 'window', failureThreshold: 3, failureWindow: 10_000 }),
      () => undefined,
      () => undefined,
    );
    const g = (await failureWindow.report(0, 'fs')).gen;
    expect(await failureWindow.report(g, 'sf')).toMatchObject({ state: 'closed' });
    expect(await failureWindow.report(g, 'f')).toMatchObject({ state: 'open', reason: 'failure_threshold' });

    const slow = other.session(
      fresh('slow'),
      rules({ thresholdRule: undefined, slowCallRateThreshold: 0.5, minimumCalls: 2 }),
      () => undefined,
      () => undefined,
    );
    const h = (await slow.report(0, 's')).gen;
    expect(await slow.report(h, 'S')).toMatchObject({
      state: 'open',
      reason: 'slow_call_rate',
      window: { slowCalls: 1 },
    });
    for (const session of [timeWindow, failureWindow, slow]) session.close();
  });

  it('probes through leases: successThreshold successes close it for everyone; a probe failure re-opens', async () => {
    const name = fresh('probe');
    const breaker = circuitBreaker({
      name,
      store,
      failureThreshold: 1,
      resetTimeout: 50,
      successThreshold: 2,
      halfOpenMaxCalls: 1,
    });
    const remote = other.session(
      name,
      rules({ failureThreshold: 1, resetDelay: () => 50 }),
      () => undefined,
      () => undefined,
    );
    await expect(breaker.execute(fail)).rejects.toThrow();
    await until(
      () => Promise.resolve(breaker.state),
      (s) => s === 'open',
    );
    await sleep(60);
    // Another process takes the only probe slot: this one is refused, with the lease's remaining time.
    const lease = await remote.admit('other-process');
    expect(lease).toMatchObject({ state: 'half_open', granted: true });
    const refused = await breaker.execute(ok).catch((e: unknown) => e);
    expect(isCircuitOpenError(refused)).toBe(true);
    expect((refused as { retryAfter: number }).retryAfter).toBeGreaterThan(29_000);
    expect(await remote.settle(lease.gen, 'other-process', 's')).toMatchObject({ state: 'half_open' });
    // The freed slot reaches this process in the store's message (a few ms, more on a loaded machine);
    // until then its calls are refused here without asking the store.
    const events = firstValueFrom(breaker.stateChanges$.pipe(take(1)));
    await expect(
      until(
        () => breaker.execute(ok).catch((e: unknown) => e),
        (r) => r === 'ok',
      ),
    ).resolves.toBe('ok');
    expect(await events).toMatchObject({ from: 'half_open', to: 'closed', reason: 'probe_succeeded' });
    expect((await remote.read()).state).toBe('closed');
    // Open again; this time the probe fails, which re-opens the circuit for everyone, one opening more.
    await expect(breaker.execute(fail)).rejects.toThrow();
    await until(
      () => Promise.resolve(breaker.state),
      (s) => s === 'open',
    );
    await sleep(60);
    const reopened = firstValueFrom(
      breaker.stateChanges$.pipe(
        filter((c) => c.to === 'open'),
        take(1),
      ),
    );
    await expect(breaker.execute(fail)).rejects.toThrow('dependency down');
    expect(await reopened).toMatchObject({ from: 'half_open', reason: 'probe_failed' });
    expect(await remote.read()).toMatchObject({ state: 'open', reason: 'probe_failed', consecutiveOpens: 2 });
    remote.close();
    breaker.dispose();
  });

  it('forces open, disables and resets for the whole fleet', async () => {
    const name = fresh('commands');
    const breaker = circuitBreaker({ name, store });
    const remote = other.session(
      name,
      rules(),
      () => undefined,
      () => undefined,
    );
    await breaker.execute(ok);
    breaker.forceOpen();
    expect(breaker.state).toBe('forced_open');
    expect(
      (
        await until(
          () => remote.read(),
          (s) => s.state === 'forced_open',
        )
      ).reason,
    ).toBe('forced_open');
    await remote.command('disabled');
    await until(
      () => Promise.resolve(breaker.state),
      (s) => s === 'disabled',
    );
    breaker.reset();
    await until(
      () => remote.read(),
      (s) => s.state === 'closed',
    );
    await remote.command('forced_open');
    await until(
      () => Promise.resolve(breaker.state),
      (s) => s === 'forced_open',
    );
    await remote.command('reset');
    await until(
      () => Promise.resolve(breaker.state),
      (s) => s === 'closed',
    );
    remote.close();
    breaker.dispose();
  });

  it("admits every call through one EVALSHA with consistency: 'strict', and batches reports otherwise", async () => {
    const evalshas = async (): Promise<number> => {
      const info = await client.info('commandstats');
      return Number(/cmdstat_evalsha:calls=(\d+)/.exec(info)?.[1] ?? 0);
    };
    // The count once the reports behind the calls have all arrived (no change over 20 ms).
    const settled = async (): Promise<number> => {
      let last = -1;
      for (;;) {
        const now = await evalshas();
        if (now === last) return now;
        last = now;
        await sleep(20);
      }
    };
    const strict = circuitBreaker({ name: fresh('strict'), store, consistency: 'strict' });
    await strict.execute(ok); // the first call reads and subscribes
    let before = await settled();
    await Promise.all(Array.from({ length: 20 }, () => strict.execute(ok)));
    // 20 admissions, and the 20 outcomes in one batch or a few.
    const strictCount = (await settled()) - before;
    expect(strictCount).toBeGreaterThanOrEqual(21);
    expect(strictCount).toBeLessThanOrEqual(25);

    const eventual = circuitBreaker({ name: fresh('eventual'), store });
    await eventual.execute(ok);
    before = await settled();
    await Promise.all(Array.from({ length: 100 }, () => eventual.execute(ok)));
    expect((await settled()) - before).toBeLessThanOrEqual(3);
    strict.dispose();
    eventual.dispose();
  });

  it('loads its script again after Redis lost it (SCRIPT FLUSH)', async () => {
    const breaker = circuitBreaker({ name: fresh('noscript'), store, failureThreshold: 1 });
    await breaker.execute(ok);
    await client.scriptFlush();
    await expect(breaker.execute(fail)).rejects.toThrow();
    await until(
      () => Promise.resolve(breaker.state),
      (s) => s === 'open',
    );
    breaker.dispose();
  });

  it('unsubscribes when its breaker is disposed', async () => {
    const name = fresh('dispose');
    const breaker = circuitBreaker({ name, store });
    await breaker.execute(ok);
    const subscribers = async (): Promise<number> => {
      const reply = await client.sendCommand<[string, number]>(['PUBSUB', 'NUMSUB', key(name)]);
      return Number(reply[1]);
    };
    // The listener subscribes beside the first call's read, not before it.
    expect(await until(subscribers, (n) => n === 1)).toBe(1);
    breaker.dispose();
    expect(await until(subscribers, (n) => n === 0)).toBe(0);
  });

  /** A store whose client reaches the server through a {@link holdingRelay}. */
  async function throughRelay(): Promise<{
    relay: Awaited<ReturnType<typeof holdingRelay>>;
    relayed: RedisStore;
    close(): Promise<void>;
  }> {
    const relay = await holdingRelay(redis.port);
    const through = createClient({ url: relay.url });
    through.on('error', () => undefined);
    await through.connect();
    const relayed = redisStore(through, { commandTimeout: 2_000 });
    const close = async (): Promise<void> => {
      await relayed.close();
      await through.quit().catch(() => undefined);
      await relay.close();
    };
    return { relay, relayed, close };
  }

  it('does not make the first call wait for its listening connection, and misses no change published while that connects', async () => {
    const { relay, relayed, close } = await throughRelay();
    const name = fresh('listener');
    const breaker = circuitBreaker({ name, store: relayed });
    const types: string[] = [];
    const subscription = breaker.events$.subscribe((e) => types.push(e.type));
    const remote = other.session(
      name,
      rules(),
      () => undefined,
      () => undefined,
    );
    try {
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      await until(
        () => client.hGet(key(name), 'st'),
        (st) => st !== null,
      );
      expect(relay.waiting()).toBe(1);
      // Another process forces it open while this one's listener is still connecting: the message is
      // published to nobody here, and the read once subscribed brings the change in.
      await remote.command('forced_open');
      expect(breaker.state).toBe('closed');
      relay.release();
      await until(
        () => breaker.state,
        (s) => s === 'forced_open',
      );
      expect(types).not.toContain('store_unavailable');
    } finally {
      subscription.unsubscribe();
      breaker.dispose();
      remote.close();
      await close();
    }
  });

  it('leaves no subscription behind a breaker disposed while its listener connects, and opens none once the store is closed', async () => {
    const { relay, relayed, close } = await throughRelay();
    const name = fresh('disposed-early');
    const breaker = circuitBreaker({ name, store: relayed });
    const listening = async (): Promise<string[]> =>
      (await client.clientList()).filter((c) => c.cmd === 'subscribe' || c.cmd === 'unsubscribe').map((c) => c.cmd);
    try {
      await breaker.execute(ok);
      expect(relay.waiting()).toBe(1);
      breaker.dispose();
      relay.release();
      // The subscription set up after the breaker was gone is taken back at once.
      await until(listening, (cmds) => cmds.includes('unsubscribe'));
      const subscribers = await client.sendCommand<[string, number]>(['PUBSUB', 'NUMSUB', key(name)]);
      expect(Number(subscribers[1])).toBe(0);
      // Once the store is closed, a breaker still using it carries on as if Redis were away, and
      // neither its calls nor its disposal open a new listening connection.
      const late = circuitBreaker({ name: fresh('after-close'), store: relayed, failureThreshold: 100 });
      const lost = firstValueFrom(late.events$.pipe(filter((e) => e.type === 'store_unavailable')));
      await late.execute(ok);
      await relayed.close();
      const before = relay.connections();
      await expect(late.execute(fail)).rejects.toThrow('dependency down');
      expect(String((await lost).error)).toMatch(/store was closed/);
      await expect(late.execute(ok)).resolves.toBe('ok');
      late.dispose();
      await sleep(50);
      expect(relay.connections()).toBe(before);
    } finally {
      await close();
    }
  });

  it('counts a store that cannot listen (an ACL without SUBSCRIBE) as unavailable, and fails no call', async () => {
    const user = `no-subscribe-${process.pid}`;
    await client.sendCommand(['ACL', 'SETUSER', user, 'on', '>secret', '~*', '&*', '+@all', '-subscribe']);
    const limited = createClient({ url: redis.url, username: user, password: 'secret' });
    limited.on('error', () => undefined);
    await limited.connect();
    const limitedStore = redisStore(limited);
    const breaker = circuitBreaker({ name: fresh('no-subscribe'), store: limitedStore, failureThreshold: 1_000 });
    let lost: unknown;
    const subscription = breaker.events$.subscribe((e) => {
      if (e.type === 'store_unavailable') lost = e.error;
    });
    try {
      // Every outcome is reported. The first call's read runs beside its subscription; once that has
      // been refused, the next report waits for a new one, is refused too, and the store counts as
      // unavailable. Calls go on until it does: when the refusal arrives depends on the machine.
      await until(
        async () => {
          await expect(breaker.execute(fail)).rejects.toThrow('dependency down');
          return lost;
        },
        (error) => error !== undefined,
      );
      expect(String(lost)).toMatch(/NOPERM/);
    } finally {
      subscription.unsubscribe();
      breaker.dispose();
      await limitedStore.close();
      await limited.quit().catch(() => undefined);
      await client.sendCommand(['ACL', 'DELUSER', user]);
    }
  });

  it('works over an ioredis client too', async () => {
    const io = new IORedis(redis.port, '127.0.0.1');
    // This client, just created, connects during the first call's read: on a loaded machine that can
    // take longer than the default deadline, and a store found unavailable does not get the report.
    const ioStore = redisStore(io, { commandTimeout: 2_000 });
    const name = fresh('ioredis');
    const breaker = circuitBreaker({ name, store: ioStore, failureThreshold: 2 });
    const remote = other.session(
      name,
      rules({ failureThreshold: 2 }),
      () => undefined,
      () => undefined,
    );
    try {
      await expect(breaker.execute(fail)).rejects.toThrow();
      const events = firstValueFrom(breaker.stateChanges$.pipe(take(1)));
      await until(
        () => client.hGet(key(name), 'cf'),
        (cf) => cf === '1',
      );
      await remote.report((await remote.read()).gen, 'f');
      expect(await events).toMatchObject({ to: 'open' });
    } finally {
      breaker.dispose();
      remote.close();
      await ioStore.close();
      io.disconnect();
    }
  });

  it('refuses a reply it does not understand', () => {
    expect(() => decodeState('closed|1')).toThrow(/unexpected reply/);
    expect(decodeState('open|12|300|2|probe_failed|5|0|0|0|0|0')).toEqual<SharedCircuitState>({
      state: 'open',
      gen: 12,
      retryAfter: 300,
      consecutiveOpens: 2,
      reason: 'probe_failed',
      openedAt: 5,
      granted: false,
      window: { calls: 0, failedCalls: 0, slowCalls: 0, slowFailedCalls: 0 },
    });
  });
});

describeRedis('redisStore while Redis is unavailable', () => {
  let redis: LocalRedis;
  let client: Client;

  beforeAll(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 20 } });
    client.on('error', () => undefined);
    await client.connect();
  }, 30_000);

  afterAll(async () => {
    redis?.resume();
    await client?.quit().catch(() => undefined);
    await redis?.stop();
  });

  async function paused<T>(run: () => Promise<T>): Promise<T> {
    redis.pause();
    try {
      return await run();
    } finally {
      redis.resume();
    }
  }

  it("'local' (the default): carries on judging locally, says so once, and follows the store again when it returns", async () => {
    const store = redisStore(client, { commandTimeout: 100 });
    const name = fresh('local');
    const breaker = circuitBreaker({ name, store, failureThreshold: 3 });
    const events: ResilienceEvent[] = [];
    const subscription = breaker.events$.subscribe((e) => events.push(e));
    // Both metric exporters count the outage and the return.
    const registry = new Registry();
    const prometheus = registerPrometheusMetrics({ registry });
    const sdk = testSdk();
    const telemetry = registerOpenTelemetryMetrics({ meterProvider: sdk.provider });
    await breaker.execute(ok);
    await paused(async () => {
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      await until(() => Promise.resolve(events.some((e) => e.type === 'store_unavailable')), Boolean);
      for (let i = 0; i < 3; i++) await expect(breaker.execute(fail)).rejects.toThrow('dependency down');
      expect(breaker.state).toBe('open');
    });
    // Back: the store never opened (it never heard of these failures), and the store wins.
    await sleep(260);
    await breaker.execute(ok).catch(() => undefined);
    await until(() => Promise.resolve(events.some((e) => e.type === 'store_restored')), Boolean);
    await until(
      () => Promise.resolve(breaker.state),
      (s) => s === 'closed',
    );
    expect(events.filter((e) => e.type === 'store_unavailable')).toHaveLength(1);
    const restored = events.find((e) => e.type === 'store_restored') as { duration: number };
    expect(restored.duration).toBeGreaterThan(0);
    const scraped = parseExposition(await registry.metrics());
    for (const kind of ['unavailable', 'restored'])
      expect(promValue(scraped, 'breakwater_circuitbreaker_store_events_total', { name, kind })).toBe(1);
    const collected = await sdk.collect();
    const counted = (attributes: Record<string, string>): unknown =>
      otelValue(collected, 'breakwater.strategy.events', { 'pipeline.name': name, ...attributes });
    expect(
      counted({ 'event.name': 'store_unavailable', 'event.severity': 'Error', 'exception.type': 'StoreTimeoutError' }),
    ).toBe(1);
    expect(counted({ 'event.name': 'store_restored', 'event.severity': 'Information' })).toBe(1);
    prometheus.unregister();
    telemetry.unregister();
    await sdk.shutdown();
    subscription.unsubscribe();
    breaker.dispose();
    await store.close();
  });

  it("'open' rejects every call while the store is away; 'closed' admits every call", async () => {
    // A deadline a loaded machine's Redis still meets: with 'open', a missed one rejects calls.
    const openStore = redisStore(client, { commandTimeout: 100, onStoreFailure: 'open' });
    const closedStore = redisStore(client, { commandTimeout: 100, onStoreFailure: 'closed' });
    const failOpen = circuitBreaker({ name: fresh('fail-open'), store: openStore });
    const failClosed = circuitBreaker({ name: fresh('fail-closed'), store: closedStore, failureThreshold: 1 });
    const lost = (b: typeof failOpen): Promise<unknown> =>
      firstValueFrom(b.events$.pipe(filter((e) => e.type === 'store_unavailable')));
    const openLost = lost(failOpen);
    const closedLost = lost(failClosed);
    try {
      await failOpen.execute(ok);
      await failClosed.execute(ok);
      await paused(async () => {
        // Their reports find the store gone. On a loaded machine the first report may already have
        // outlived its deadline before the pause, and then 'open' already rejects this call.
        await failOpen.execute(ok).catch((e: unknown) => {
          if (!isCircuitOpenError(e)) throw e;
        });
        await failClosed.execute(ok);
        await Promise.all([openLost, closedLost]);
        expect(isCircuitOpenError(await failOpen.execute(ok).catch((e: unknown) => e))).toBe(true);
        for (let i = 0; i < 5; i++) await expect(failClosed.execute(fail)).rejects.toThrow('dependency down');
        expect(failClosed.state).toBe('closed');
      });
    } finally {
      for (const b of [failOpen, failClosed]) b.dispose();
      await openStore.close();
      await closedStore.close();
    }
  });

  it('never waits on a paused store longer than its deadline, even for its first call', async () => {
    const store = redisStore(client, { commandTimeout: 40 });
    const breaker = circuitBreaker({ name: fresh('first-call'), store, consistency: 'strict' });
    const events = firstValueFrom(
      breaker.events$.pipe(
        filter((e) => e.type === 'store_unavailable' || e.type === 'success'),
        take(2),
        toArray(),
      ),
    );
    await paused(async () => {
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      expect((await events).map((e) => e.type)).toEqual(['store_unavailable', 'success']);
    });
    breaker.dispose();
    await store.close();
  });
});
