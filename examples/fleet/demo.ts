import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REDIS_INSTALL_HINT, redisServerPath, startRedis } from './redis-server';
import type { WorkerReport, WorkerStart } from './worker';

/**
 * `npm run demo -- --fleet <n>`: n worker processes call one inventory service that goes down and
 * comes back. First each worker has a breaker of its own; then they share one through a local
 * redis-server. The service counts what reaches it: the failures it served before every worker
 * stopped calling, and the half-open probes.
 */

export interface FleetRun {
  readonly mode: 'local' | 'shared';
  /** Requests the service failed between going down and every worker's breaker being open. */
  readonly failuresToOpen: number;
  /** Requests marked as half-open probes, until every breaker closed again. */
  readonly probes: number;
  /** From the first worker's opening to the last one's, ms. */
  readonly openSpreadMs: number;
}

const EVERY = 25;
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** The inventory service: healthy or down, counting what reaches it. */
function inventoryService(): Promise<{
  server: Server;
  url: string;
  counts: { failed: number; probes: number };
  down: (d: boolean) => void;
}> {
  const counts = { failed: 0, probes: 0 };
  let isDown = false;
  const server = createServer((request, response) => {
    if (request.headers['x-probe'] === '1') counts.probes++;
    if (isDown) counts.failed++;
    response.writeHead(isDown ? 503 : 200, { 'content-type': 'application/json' });
    response.end(isDown ? '{"error":"unavailable"}' : '{"sku":"A-1","stock":12}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/stock`, counts, down: (d) => (isDown = d) });
    }),
  );
}

class Worker {
  readonly states: { to: string; reason: string; at: number }[] = [];
  private readonly waiters: { type: string; done: () => void }[] = [];

  constructor(readonly child: ChildProcess) {
    child.on('message', (report: WorkerReport) => {
      if (report.type === 'state') this.states.push(report);
      const i = this.waiters.findIndex((w) => w.type === report.type);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.done();
    });
  }

  next(type: WorkerReport['type']): Promise<void> {
    return new Promise((done) => this.waiters.push({ type, done }));
  }
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`fleet demo: timed out waiting until ${what}`);
    await sleep(10);
  }
}

async function runOnce(
  mode: FleetRun['mode'],
  workers: readonly Worker[],
  service: Awaited<ReturnType<typeof inventoryService>>,
  redisUrl: string,
  out: NodeJS.WritableStream,
): Promise<FleetRun> {
  const name = mode === 'local' ? 'inventory-local' : 'inventory';
  service.down(false);
  for (const w of workers) w.states.length = 0;
  const start: WorkerStart = {
    type: 'start',
    name,
    serviceUrl: service.url,
    every: EVERY,
    ...(mode === 'shared' ? { redisUrl } : {}),
  };
  await Promise.all(
    workers.map((w) => {
      const started = w.next('started');
      w.child.send(start);
      return started;
    }),
  );
  await sleep(600);

  const t0 = Date.now();
  const log = (line: string): void => void out.write(`  +${((Date.now() - t0) / 1_000).toFixed(2)} s  ${line}\n`);
  service.counts.failed = 0;
  service.counts.probes = 0;
  service.down(true);
  log('inventory goes down (every request now fails with 503)');
  const opened = (w: Worker): number | undefined => w.states.find((s) => s.to === 'open')?.at;
  await until(() => workers.every((w) => opened(w) !== undefined), 'every breaker is open');
  const failuresToOpen = service.counts.failed;
  const times = workers.map((w) => opened(w)!);
  log(`every worker's breaker is open: ${failuresToOpen} failed requests reached inventory`);
  await sleep(400);
  service.down(false);
  log('inventory is back (the breakers are still open: reset timeout 1.5 s)');
  await until(() => workers.every((w) => w.states.some((s) => s.to === 'closed')), 'every breaker is closed again');
  const probes = service.counts.probes;
  log(`every worker's breaker is closed again: ${probes} half-open probe${probes === 1 ? '' : 's'} reached inventory`);
  await Promise.all(
    workers.map((w) => {
      const stopped = w.next('stopped');
      w.child.send({ type: 'stop' });
      return stopped;
    }),
  );
  return { mode, failuresToOpen, probes, openSpreadMs: Math.max(...times) - Math.min(...times) };
}

/**
 * Runs the fleet demo with `size` workers, writing what happens to `out`. Resolves with both runs,
 * or with `undefined` (after saying how to install it) when no redis-server is installed.
 */
export async function runFleetDemo(
  size: number,
  out: NodeJS.WritableStream = process.stdout,
): Promise<FleetRun[] | undefined> {
  if (redisServerPath === undefined) {
    out.write(`The fleet demo needs a local redis-server, and none is installed.\nInstall it: ${REDIS_INSTALL_HINT}\n`);
    return undefined;
  }
  out.write(
    `Fleet demo: ${size} worker processes call one inventory service every ${EVERY} ms through a circuit breaker\n` +
      `(5 failures in a row open it, 1.5 s later one probe may close it). The service goes down, then comes back.\n` +
      `Starting a local redis-server and ${size} workers…\n`,
  );
  const redis = await startRedis();
  const service = await inventoryService();
  const execArgv = ['-r', 'ts-node/register/transpile-only'];
  const env = { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json') };
  const workers = Array.from(
    { length: size },
    () => new Worker(fork(join(__dirname, 'worker.ts'), [], { execArgv, env })),
  );
  try {
    await Promise.all(workers.map((w) => w.next('loaded')));
    const runs: FleetRun[] = [];
    for (const mode of ['local', 'shared'] as const) {
      out.write(
        mode === 'local'
          ? `\n1. Each worker with a breaker of its own\n`
          : `\n2. One breaker shared by the ${size} workers through Redis (redisStore, ${redis.url})\n`,
      );
      runs.push(await runOnce(mode, workers, service, redis.url, out));
    }
    const [local, shared] = runs as [FleetRun, FleetRun];
    const row = (label: string, a: string | number, b: string | number): string =>
      `  ${label.padEnd(46)}${String(a).padStart(16)}${String(b).padStart(16)}\n`;
    out.write(`\n${row('', 'own breakers', 'shared')}`);
    out.write(row('failed requests before every worker stopped', local.failuresToOpen, shared.failuresToOpen));
    out.write(row('half-open probes sent to the recovering service', local.probes, shared.probes));
    out.write(row('first to last worker opening', `${local.openSpreadMs} ms`, `${shared.openSpreadMs} ms`));
    out.write(
      `\nShared, the fleet opened together after ${shared.failuresToOpen} failures instead of ${local.failuresToOpen}, ` +
        `and sent ${shared.probes} probe${shared.probes === 1 ? '' : 's'} instead of ${local.probes}. See docs/shared-state.md.\n`,
    );
    return runs;
  } finally {
    for (const w of workers) if (w.child.connected) w.child.send({ type: 'exit' });
    await new Promise<void>((done) => service.server.close(() => done()));
    await redis.stop();
  }
}
