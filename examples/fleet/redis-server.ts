import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway redis-server on loopback, for the fleet demo, the specs and the benchmarks: a free
 * port, a temporary directory, no persistence; stopped (and its directory removed) by `stop()`.
 * Run this file to keep one up for local runs: `npm run redis`.
 */

const PATHS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'];

/** The redis-server binary, if one is installed. */
export const redisServerPath: string | undefined = PATHS.find((path) => existsSync(path));

/** How to install it, for messages. */
export const REDIS_INSTALL_HINT = 'apt-get install -y --no-install-recommends redis-server';

export interface LocalRedis {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** SIGSTOP: the server keeps its connections and answers nothing. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** SIGKILL, then a new server on the same port (empty: no persistence). */
  restart(): Promise<void>;
  /** SIGKILL only. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Resolves once the server answers PING. */
async function waitForPing(port: number, deadline: number): Promise<void> {
  for (;;) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
      socket.setTimeout(200, () => socket.destroy());
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** Starts a redis-server; throws with the install hint when none is installed. */
export async function startRedis(): Promise<LocalRedis> {
  const binary = redisServerPath;
  if (binary === undefined) throw new Error(`redis-server is not installed: ${REDIS_INSTALL_HINT}`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'breakwater-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn(binary, args, { stdio: 'ignore' });
    await waitForPing(port, Date.now() + 10_000);
  };
  const exited = (c: ChildProcess): Promise<void> =>
    c.exitCode !== null || c.signalCode !== null
      ? Promise.resolve()
      : new Promise((done) => c.once('exit', () => done()));
  const kill = async (): Promise<void> => {
    const c = child;
    c.kill('SIGKILL');
    await exited(c);
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.pid!;
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (require.main === module) {
  void startRedis().then(
    (redis) => {
      console.log(`redis-server listening on ${redis.url} (Ctrl-C stops it)`);
      process.on('SIGINT', () => void redis.stop().then(() => process.exit(0)));
    },
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
