import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from 'redis';
import { startRedis } from '../../examples/fleet/redis-server.js';
import { circuitBreaker } from '../../lib/index.js';
import { redisStore } from '../../lib/integrations/redis/index.js';
import { quantile } from '../harness/stats.js';
import { measurePerCall } from './per-call.js';
import { fail, succeed, type Scenario } from './scenario.js';

// A breaker shared through a real redis-server on loopback (started here, on a free port), against
// the in-memory breaker: what a closed call costs with the store (nothing awaited; the outcome is
// reported behind), what `consistency: 'strict'` costs (one EVALSHA awaited per call), and how long
// an opening takes to reach the other processes of a fleet.

const FLEET = 4;

/** Starts `FLEET` processes that share `name` and print each change of state they see. */
async function fleet(url: string, name: string): Promise<{ opened(): Promise<number[]>; stop(): Promise<void> }> {
  const script = join(__dirname, '..', 'child.js');
  const children = Array.from({ length: FLEET }, () =>
    spawn(process.execPath, [script, 'fleet', url, name], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const lines = children.map((child) => {
    const queue: string[] = [];
    const waiting: ((line: string) => void)[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        const next = waiting.shift();
        if (next) next(line);
        else queue.push(line);
      }
    });
    return (): Promise<string> => {
      const line = queue.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    };
  });
  await Promise.all(lines.map(async (next) => expectLine(await next(), 'ready')));
  return {
    /** The times (ms) at which each process saw the next opening, skipping other changes. */
    opened: () =>
      Promise.all(
        lines.map(async (next) => {
          for (;;) {
            const [to, at] = (await next()).split(' ');
            if (to === 'open') return Number(at);
          }
        }),
      ),
    stop: () =>
      Promise.all(
        children.map((child) => {
          const exited = new Promise<void>((done) => child.once('exit', () => done()));
          child.stdin.end();
          return exited;
        }),
      ).then(() => undefined),
  };
}

function expectLine(line: string, expected: string): void {
  if (line !== expected) throw new Error(`fleet process said "${line}", expected "${expected}"`);
}

export const sharedState: Scenario = {
  id: 'shared-state',
  title: '12. Shared state through Redis: closed-call overhead, strict mode, and an opening across processes',
  async run(context) {
    const redis = await startRedis();
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    const store = redisStore(client);
    try {
      const memory = circuitBreaker({ name: 'bench.shared.memory' });
      const eventual = circuitBreaker({ name: 'bench.shared.eventual', store });
      const strict = circuitBreaker({ name: 'bench.shared.strict', store, consistency: 'strict' });
      await eventual.execute(succeed);
      await strict.execute(succeed);
      const rows = await measurePerCall(
        context,
        [
          { library: 'baseline', op: succeed },
          { library: 'in-memory', op: () => memory.execute(succeed) },
          { library: 'redis', op: () => eventual.execute(succeed) },
          { library: 'redis-strict', op: () => strict.execute(succeed) },
        ],
        'baseline',
      );
      const median = (id: string): number => rows.find((r) => r.library === id)!.summary!.median;

      // Openings decided by this process, seen by FLEET others.
      const trips = context.mode === 'full' ? 40 : 8;
      const members = await fleet(redis.url, 'bench.shared.fleet');
      const trigger = circuitBreaker({ name: 'bench.shared.fleet', store, failureThreshold: 1 });
      await trigger.execute(succeed);
      const delays: number[] = [];
      for (let i = 0; i < trips; i++) {
        const seen = members.opened();
        await trigger.execute(fail).catch(() => undefined);
        const times = await seen;
        const openedAt = Number(await client.hGet('breakwater:{bench.shared.fleet}:cb', 'opened'));
        // Redis keeps the opening time in whole ms: a delay is read against the end of that ms.
        for (const at of times) delays.push(Math.max(0, at - (openedAt + 1)));
        trigger.reset();
        await new Promise((done) => setTimeout(done, 20));
      }
      await members.stop();
      trigger.dispose();
      for (const b of [memory, eventual, strict]) b.dispose();

      const ratio = median('redis') / median('in-memory');
      delays.sort((a, b) => a - b);
      return {
        id: this.id,
        title: this.title,
        unit: 'ns',
        metric: 'ns per call above `await fn()` (the baseline row is `await fn()` itself)',
        rows,
        notes: [
          'A named breaker with default options, calls that succeed; redis-server 7 on loopback, node-redis 6, the store with its defaults.',
          `redis (the default, \`consistency: 'eventual'\`): ${ratio.toFixed(2)}× the in-memory overhead (goal ≤ 2×: ${ratio <= 2 ? 'met' : 'missed'}); nothing is awaited, the outcomes are reported in batches.`,
          `redis-strict: one EVALSHA round trip awaited per call, ${(median('redis-strict') / 1e3).toFixed(0)} µs above \`await fn()\` here.`,
          `An opening decided in one process, seen by ${FLEET} others: p50 ${quantile(delays, 0.5).toFixed(2)} ms, p99 ${quantile(delays, 0.99).toFixed(2)} ms, max ${Math.max(...delays).toFixed(2)} ms over ${delays.length} samples (${trips} openings; from the end of the ms Redis recorded).`,
        ],
      };
    } finally {
      await store.close();
      await client.quit();
      await redis.stop();
    }
  },
};
