import { createClient } from 'redis';
import { describeRedis, startRedis, type LocalRedis } from '../../support/redis';
import { Fleet, type FleetEvent } from './fleet';

// Eight real processes share one breaker through a real redis-server: no mock anywhere. The times
// compared here are wall-clock readings of one machine (the workers' Date.now() and Redis's TIME).

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, what: string, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(10);
  }
}

const opens = (events: readonly FleetEvent[]): FleetEvent[] =>
  events.filter((e) => e.type === 'state_change' && e.to === 'open');

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describeRedis(
  'a breaker shared by a fleet of processes (breakwater/redis)',
  () => {
    let redis: LocalRedis;
    let admin: ReturnType<typeof createClient>;
    const hash = (name: string): Promise<Record<string, string>> => admin.hGetAll(`breakwater:{${name}}:cb`);

    beforeAll(async () => {
      redis = await startRedis();
      admin = createClient({ url: redis.url });
      admin.on('error', () => undefined);
      await admin.connect();
    }, 30_000);

    afterAll(async () => {
      await admin?.quit();
      await redis?.stop();
    });

    it('loses none of the failures 8 processes report at once, and opens at exactly the threshold, everywhere', async () => {
      const fleet = await Fleet.start(8, { url: redis.url, name: 'threshold', options: { failureThreshold: 20 } });
      try {
        // 19 failures from 8 processes at the same time: one short of the threshold.
        const shares = [3, 3, 3, 2, 2, 2, 2, 2];
        await Promise.all(
          fleet.workers.map((w, i) =>
            w.request({ type: 'burst', count: shares[i], kind: 'fail', ms: 1 }, 'burst-done'),
          ),
        );
        const before = await until(
          () => hash('threshold'),
          (h) => h['cf'] === '19',
          '19 counted failures',
        );
        expect(before['st']).toBe('closed');
        expect(fleet.workers.every((w) => opens(w.events).length === 0)).toBe(true);

        await fleet.workers[5]!.request({ type: 'burst', count: 1, kind: 'fail', ms: 1 }, 'burst-done');
        await until(
          () => fleet.workers.map((w) => opens(w.events).length),
          (n) => n.every((k) => k === 1),
          'open everywhere',
        );
        const after = await hash('threshold');
        expect(after['st']).toBe('open');
        expect(after['why']).toBe('failure_threshold');
        for (const w of fleet.workers) expect(opens(w.events)[0]!.reason).toBe('failure_threshold');
        // Every process now rejects without calling the dependency.
        const results = await fleet.all({ type: 'burst', count: 5, kind: 'ok', ms: 1 }, 'burst-done');
        for (const r of results) expect(r['result']).toMatchObject({ reached: 0, rejected: 5, state: 'open' });
      } finally {
        await fleet.stop();
      }
    }, 60_000);

    it('has every process reject within 50 ms (p99) of an opening, over 20 openings', async () => {
      const fleet = await Fleet.start(8, { url: redis.url, name: 'propagation', options: { failureThreshold: 1 } });
      const delays: number[] = [];
      try {
        // Serving traffic: a breaker reads and subscribes at its first call (nothing happens before).
        await fleet.all({ type: 'burst', count: 1, kind: 'ok', ms: 0 }, 'burst-done');
        for (let trial = 0; trial < 20; trial++) {
          const trigger = fleet.workers[trial % 8]!;
          await trigger.request({ type: 'burst', count: 1, kind: 'fail', ms: 0 }, 'burst-done');
          const seen = await until(
            () => fleet.workers.map((w) => opens(w.events)[trial]),
            (events) => events.every((e) => e !== undefined),
            `opening ${trial} everywhere`,
          );
          const openedAt = Number((await hash('propagation'))['opened']);
          for (const e of seen) delays.push(e!.at - openedAt);
          await trigger.request({ type: 'reset' }, 'reset-done');
          await until(
            () => fleet.all({ type: 'state' }, 'state'),
            (states) => states.every((s) => s['state'] === 'closed'),
            'closed everywhere',
          );
        }
      } finally {
        await fleet.stop();
      }
      expect(delays).toHaveLength(160);
      const p99 = percentile(delays, 99);
      console.log(
        `opening → every process: p50 ${percentile(delays, 50)} ms, p99 ${p99} ms, max ${Math.max(...delays)} ms (160 samples)`,
      );
      expect(p99).toBeLessThanOrEqual(50);
    }, 120_000);

    it.each([1, 3])(
      'lets exactly halfOpenMaxCalls = %i probes of 8 × 50 concurrent callers reach the dependency, per generation',
      async (max) => {
        const name = `probes-${max}`;
        const fleet = await Fleet.start(8, {
          url: redis.url,
          name,
          options: { failureThreshold: 1, resetTimeout: 200, halfOpenMaxCalls: max, successThreshold: 1 },
        });
        try {
          await fleet.workers[0]!.request({ type: 'burst', count: 1, kind: 'fail', ms: 0 }, 'burst-done');
          for (let trial = 0; trial < 8; trial++) {
            await until(
              () => hash(name),
              (h) => h['st'] === 'open',
              'open',
            );
            const { until: due } = await hash(name);
            await sleep(Math.max(0, Number(due) - Date.now()) + 30);
            // Every process at once; the probes fail (after 30 ms), which re-opens the circuit.
            const results = await fleet.all({ type: 'burst', count: 50, kind: 'fail', ms: 30 }, 'burst-done');
            const reached = results.reduce((sum, r) => sum + (r['result'] as { reached: number }).reached, 0);
            expect(reached).toBe(max);
          }
        } finally {
          await fleet.stop();
        }
      },
      120_000,
    );

    it("gives a killed probe's lease back when the lease ends (halfOpenMaxWait), not before", async () => {
      const fleet = await Fleet.start(3, {
        url: redis.url,
        name: 'lease',
        options: { failureThreshold: 1, resetTimeout: 100, halfOpenMaxWait: 500, successThreshold: 1 },
      });
      try {
        const [a, b, c] = fleet.workers as [
          (typeof fleet.workers)[0],
          (typeof fleet.workers)[0],
          (typeof fleet.workers)[0],
        ];
        await a.request({ type: 'burst', count: 1, kind: 'fail', ms: 0 }, 'burst-done');
        await sleep(150);
        const started = await b.request({ type: 'call', kind: 'hang', ms: 0 }, 'probe-started');
        fleet.kill(1);
        const leasedAt = Number(started['at']);
        // Another process keeps trying: rejected while the lease holds, admitted once it ended.
        let admittedAt = 0;
        for (;;) {
          const r = (await c.request({ type: 'call', kind: 'ok', ms: 0 }, 'call-done'))['result'] as {
            reached: number;
          };
          if (r.reached === 1) {
            admittedAt = Date.now();
            break;
          }
          await sleep(10);
        }
        expect(admittedAt - leasedAt).toBeGreaterThanOrEqual(490);
        expect(admittedAt - leasedAt).toBeLessThanOrEqual(600);
      } finally {
        await fleet.stop();
      }
    }, 60_000);
  },
  true,
);
