import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ensureFreshBuild } from '../../support/package';

/** Messages a fleet worker sends (see fleet-worker.cjs). */
export interface WorkerMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface FleetEvent {
  readonly type: 'state_change' | 'store_unavailable' | 'store_restored';
  readonly to?: string;
  readonly reason?: string;
  /** Date.now() in the worker when the event was published there. */
  readonly at: number;
}

const WORKER = join(__dirname, 'fleet-worker.cjs');

/** One worker process: requests are answered by the next message of the expected type. */
class Worker {
  readonly events: FleetEvent[] = [];
  private readonly waiting: { type: string; resolve: (m: WorkerMessage) => void }[] = [];
  readonly errors: string[] = [];

  constructor(readonly process: ChildProcess) {
    process.on('message', (raw) => {
      const message = raw as WorkerMessage;
      if (message.type === 'event') this.events.push(message['event'] as FleetEvent);
      if (message.type === 'error') this.errors.push(String(message['message']));
      const i = this.waiting.findIndex((w) => w.type === message.type);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(message);
    });
  }

  next(type: string): Promise<WorkerMessage> {
    return new Promise((resolve) => this.waiting.push({ type, resolve }));
  }

  request(message: WorkerMessage, reply: string): Promise<WorkerMessage> {
    const answer = this.next(reply);
    this.process.send(message);
    return answer;
  }
}

/** N real processes sharing the breaker `name` through the redis-server at `url`. */
export class Fleet {
  private constructor(readonly workers: Worker[]) {}

  static async start(
    size: number,
    init: { url: string; name: string; options: Record<string, unknown>; store?: Record<string, unknown> },
  ): Promise<Fleet> {
    // The workers load dist/, as a service loads the package: built here if it is older than lib/.
    ensureFreshBuild();
    const workers = Array.from({ length: size }, () => new Worker(fork(WORKER, [], { stdio: 'inherit' })));
    await Promise.all(workers.map((w) => w.next('loaded')));
    await Promise.all(workers.map((w) => w.request({ type: 'init', ...init }, 'ready')));
    return new Fleet(workers);
  }

  /** Sends `message` to every worker and collects their replies of type `reply`, in worker order. */
  all(message: WorkerMessage, reply: string): Promise<WorkerMessage[]> {
    return Promise.all(this.workers.map((w) => w.request(message, reply)));
  }

  kill(index: number): void {
    this.workers[index]!.process.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((done) => {
            const p = w.process;
            if (p.exitCode !== null || p.signalCode !== null) return done();
            p.once('exit', () => done());
            p.send({ type: 'exit' });
            setTimeout(() => p.kill('SIGKILL'), 2_000).unref();
          }),
      ),
    );
  }
}
