/**
 * A database client guarded by @Timeout and @Bulkhead, against an in-process fake database that
 * has 3 connections. Shows: the queue, refusals when it is full, a queue timeout, a caller abort
 * that removes a queued query, a timed-out query that keeps its connection until it really
 * finishes, and the query seeing its own signal through currentSignal().
 *
 * Run: node -r ts-node/register/transpile-only examples/database-bulkhead.ts
 */
import {
  Bulkhead,
  BulkheadFullError,
  Timeout,
  currentSignal,
  events$,
  getBulkhead,
  isBulkheadFullError,
  isTimeoutError,
} from '../lib/index.js';

/** A fake database with a fixed pool: it fails loudly if asked to run more queries than it has connections. */
class FakeDatabase {
  private busy = 0;
  peak = 0;
  finished = 0;
  constructor(readonly connections: number) {}

  /** Runs a "query" taking `ms`; stops early when `signal` aborts, unless the query ignores it. */
  async run(sql: string, ms: number, signal: AbortSignal | undefined): Promise<string> {
    if (++this.busy > this.connections) throw new Error(`pool exhausted running ${sql}`);
    this.peak = Math.max(this.peak, this.busy);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      });
      this.finished++;
      return `${sql} -> ${ms} ms`;
    } finally {
      this.busy--;
    }
  }
}

const db = new FakeDatabase(3);

class Repository {
  // The bulkhead matches the pool: never more queries in flight than connections, 2 may wait.
  @Timeout(300)
  @Bulkhead({ name: 'db', maxConcurrent: 3, maxQueue: 2, queueTimeout: 200 })
  async query(sql: string, ms: number, _signal?: AbortSignal): Promise<string> {
    // No signal parameter needed: currentSignal() is this call's signal (timeout or caller abort).
    return db.run(sql, ms, currentSignal());
  }

  // A legacy driver that cannot be cancelled: the timeout answers the caller, the connection stays
  // taken until the query really ends.
  @Timeout(100)
  @Bulkhead({ name: 'db', maxConcurrent: 3, maxQueue: 2, queueTimeout: 200 })
  async legacyReport(ms: number): Promise<string> {
    return db.run('REPORT', ms, undefined);
  }
}

function describeOutcome(result: PromiseSettledResult<string>): string {
  if (result.status === 'fulfilled') return `ok (${result.value})`;
  const error: unknown = result.reason;
  if (isBulkheadFullError(error)) return `refused: ${error.reason}`;
  if (isTimeoutError(error)) return `timed out after ${error.duration} ms`;
  return `failed: ${String(error)}`;
}

async function main(): Promise<void> {
  const repo = new Repository();
  const refusals: string[] = [];
  const sub = events$.subscribe((e) => {
    if (e.type === 'bulkhead_rejected') refusals.push(e.reason);
  });

  console.log('1) Seven queries at once: 3 run, 2 wait, 2 are refused');
  const burst = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => repo.query(`SELECT ${i + 1}`, 50)));
  burst.forEach((r, i) => console.log(`   SELECT ${i + 1}: ${describeOutcome(r)}`));

  console.log('2) Slow queries hold every connection: one times out, a caller gives up, a waiter gives up');
  const controller = new AbortController();
  const slow = [repo.query('SLOW A', 250), repo.query('SLOW B', 250), repo.query('SLOW C', 500)];
  const abandoned = repo.query('ABANDONED', 10, controller.signal);
  const patient = repo.query('PATIENT', 10);
  setTimeout(() => controller.abort(new Error('user closed the page')), 20);
  const second = await Promise.allSettled([...slow, abandoned, patient]);
  ['SLOW A', 'SLOW B', 'SLOW C', 'ABANDONED', 'PATIENT'].forEach((sql, i) =>
    console.log(`   ${sql}: ${describeOutcome(second[i]!)}`),
  );

  console.log('3) An uncancellable report times out but keeps its connection until it ends');
  const report = repo.legacyReport(250);
  const outcome = await report.then(
    () => 'finished in time',
    (e: unknown) => (e instanceof BulkheadFullError ? 'refused' : isTimeoutError(e) ? 'timed out' : String(e)),
  );
  const bulkhead = getBulkhead('db')!;
  console.log(`   report: ${outcome}; connections still held: ${bulkhead.active}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  console.log(`   after it really ended: ${bulkhead.active} held, ${bulkhead.queued} queued`);

  sub.unsubscribe();
  console.log(`Refusals seen on events$: ${refusals.join(', ')}`);
  console.log(`Database: peak ${db.peak} of ${db.connections} connections, ${db.finished} queries finished`);
  if (db.peak > db.connections) process.exitCode = 1;
}

void main();
