// Entry point of the child processes some scenarios need (run by the compiled suite, never by hand):
//   child.js exit <library>          trip that library's breaker, then idle: does the process exit?
//   child.js await-cost <variant>    ns per `await` after one call through a breakwater policy
//   child.js fleet <redis url> <name> one process of a fleet: prints when it sees the breaker open
import { loadLibraries } from './libraries/load.js';
import { now } from './harness/timing.js';
import { fail } from './scenarios/scenario.js';

async function tripAndIdle(id: string): Promise<void> {
  const { libraries } = await loadLibraries();
  const lib = libraries.find((l) => l.id === id);
  if (!lib?.open) throw new Error(`no library "${id}" with an open() scenario`);
  const rejected = await lib.open(fail);
  await rejected().catch(() => undefined);
  process.stdout.write(`tripped ${performance.now().toFixed(1)}\n`);
  // Nothing else to do: the event loop should now be empty.
}

/** A function with ten awaits, timed in a loop: the cost of `await` in this process. */
async function awaitCost(variant: string): Promise<void> {
  if (variant !== 'plain') {
    const bw = await import('./libraries/breakwater-probe.js');
    await bw.touch(variant);
  }
  const tenAwaits = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  for (let i = 0; i < 20_000; i++) await tenAwaits(); // warm-up
  const n = 100_000;
  const start = now();
  for (let i = 0; i < n; i++) await tenAwaits();
  process.stdout.write(`${JSON.stringify({ nsPerAwait: (now() - start) / (n * 10) })}\n`);
}

/**
 * A member of a fleet sharing the breaker `name` through Redis: one call (a breaker reads and
 * subscribes at its first), then a line per change of state it sees, with the wall-clock time in
 * ms (sub-millisecond), until its stdin closes.
 */
async function fleetMember(url: string, name: string): Promise<void> {
  const { createClient } = await import('redis');
  const { circuitBreaker } = await import('../lib/index.js');
  const { redisStore } = await import('../lib/integrations/redis/index.js');
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  const store = redisStore(client);
  const breaker = circuitBreaker({ name, store, failureThreshold: 1 });
  breaker.stateChanges$.subscribe((change) => {
    process.stdout.write(`${change.to} ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
  });
  await breaker.execute(() => Promise.resolve());
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => {
    breaker.dispose();
    // The parent stops Redis once every member has ended.
    void store
      .close()
      .then(() => client.quit())
      .catch(() => undefined);
  });
}

const [mode, arg, arg2] = process.argv.slice(2);
const task =
  mode === 'exit'
    ? tripAndIdle(arg ?? '')
    : mode === 'await-cost'
      ? awaitCost(arg ?? '')
      : mode === 'fleet'
        ? fleetMember(arg ?? '', arg2 ?? '')
        : undefined;
if (task === undefined) {
  process.stderr.write(`usage: child.js exit <library> | await-cost <variant> | fleet <redis url> <name>\n`);
  process.exitCode = 2;
} else {
  task.catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
