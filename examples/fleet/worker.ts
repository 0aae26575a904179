import { createClient } from 'redis';
import { circuitBreaker, type Policy, type CircuitBreakerHandle } from '../../lib/index';
import { redisStore, type RedisStore } from '../../lib/integrations/redis/index';

/**
 * One worker process of the fleet demo, started by fleet/demo.ts: it calls the inventory service
 * every `every` ms through a breaker — its own (`redisUrl` absent), or one shared with the other
 * workers through Redis — and tells its parent every change of state it sees. A call made while its
 * breaker is half-open carries `x-probe: 1`, so the service can count the probes.
 */

export interface WorkerStart {
  readonly type: 'start';
  readonly name: string;
  readonly serviceUrl: string;
  readonly redisUrl?: string;
  readonly every: number;
}

export type WorkerReport =
  | { readonly type: 'loaded' }
  | { readonly type: 'started' }
  | { readonly type: 'state'; readonly to: string; readonly reason: string; readonly at: number }
  | { readonly type: 'stopped' };

const send = (report: WorkerReport): void => void process.send?.(report);
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

let running = false;
let finished: Promise<void> = Promise.resolve();
let cleanup: () => Promise<void> = () => Promise.resolve();

async function start(message: WorkerStart): Promise<void> {
  let store: RedisStore | undefined;
  let client: ReturnType<typeof createClient> | undefined;
  if (message.redisUrl !== undefined) {
    client = createClient({ url: message.redisUrl });
    client.on('error', () => undefined);
    await client.connect();
    store = redisStore(client);
  }
  const breaker: Policy & CircuitBreakerHandle = circuitBreaker({
    name: message.name,
    failureThreshold: 5,
    resetTimeout: 1_500,
    halfOpenMaxCalls: 1,
    successThreshold: 1,
    ...(store === undefined ? {} : { store }),
  });
  const subscription = breaker.stateChanges$.subscribe((change) =>
    send({ type: 'state', to: change.to, reason: change.reason, at: Date.now() }),
  );
  running = true;
  finished = (async () => {
    while (running) {
      await breaker
        .execute(async (signal) => {
          const probe = breaker.state === 'half_open';
          const response = await fetch(message.serviceUrl, { signal, headers: probe ? { 'x-probe': '1' } : {} });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`inventory answered ${response.status}`);
        })
        .catch(() => undefined);
      await sleep(message.every);
    }
  })();
  cleanup = async () => {
    subscription.unsubscribe();
    breaker.dispose();
    await store?.close();
    await client?.quit();
  };
  send({ type: 'started' });
}

process.on('message', (message: WorkerStart | { type: 'stop' } | { type: 'exit' }) => {
  if (message.type === 'start') {
    void start(message);
  } else if (message.type === 'stop') {
    running = false;
    void finished.then(() => cleanup()).then(() => send({ type: 'stopped' }));
  } else {
    process.disconnect();
  }
});
send({ type: 'loaded' });
