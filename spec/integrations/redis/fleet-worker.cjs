// One process of a fleet, for the multi-process specs: a breaker named `name` shared through a real
// redis-server, driven by its parent over IPC. It loads the built package (dist/cjs), as a service
// would. Every call's work is the "dependency": the parent counts how many calls reached it.
'use strict';
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const { createClient } = require('redis');
const { circuitBreaker, events$ } = require('../../../dist/cjs/index.js');
const { redisStore } = require('../../../dist/cjs/integrations/redis/index.js');

let breaker;
let store;
let client;
let unhandled = 0;
const seen = [];
process.on('unhandledRejection', () => unhandled++);

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const send = (message) => process.send(message);

/** The dependency: answers after `ms` with success or failure; `hang` never answers. */
function dependency(kind, ms, counter) {
  return () => {
    counter.reached++;
    if (kind === 'hang') {
      send({ type: 'probe-started', at: Date.now() });
      return new Promise(() => undefined);
    }
    return new Promise((resolve, reject) =>
      setTimeout(() => (kind === 'fail' ? reject(new Error('dependency down')) : resolve('ok')), ms),
    );
  };
}

async function burst({ count, kind, ms }) {
  const counter = { reached: 0 };
  const work = dependency(kind, ms, counter);
  const results = await Promise.allSettled(Array.from({ length: count }, () => breaker.execute(work)));
  const rejected = results.filter((r) => r.status === 'rejected' && r.reason && r.reason.code === 'ERR_CIRCUIT_OPEN');
  return { reached: counter.reached, rejected: rejected.length, state: breaker.state };
}

/** Calls every `every` ms until told to stop; records each call's time beyond its work's own time. */
let looping = false;
async function loop({ every, work }) {
  looping = true;
  const stats = { calls: 0, failed: 0, rejected: 0, worstExtra: 0, extras: [], stallMs: 0 };
  // How late this process's timers ran meanwhile: a stall of the machine, not of the store.
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  while (looping) {
    const started = performance.now();
    let inside = 0;
    try {
      await breaker.execute(async () => {
        const t = performance.now();
        await sleep(work);
        inside = performance.now() - t;
      });
    } catch (error) {
      if (error && error.code === 'ERR_CIRCUIT_OPEN') stats.rejected++;
      else stats.failed++;
    }
    const extra = performance.now() - started - inside;
    stats.calls++;
    stats.extras.push(extra);
    if (extra > stats.worstExtra) stats.worstExtra = extra;
    await sleep(every);
  }
  lag.disable();
  stats.stallMs = lag.max / 1e6;
  return stats;
}

let looped;
process.on('message', async (message) => {
  try {
    switch (message.type) {
      case 'init': {
        client = createClient({ url: message.url, socket: { reconnectStrategy: () => 50 } });
        client.on('error', () => undefined);
        await client.connect();
        store = redisStore(client, message.store);
        breaker = circuitBreaker({ ...message.options, name: message.name, store });
        events$.subscribe((e) => {
          if (e.type === 'state_change' || e.type === 'store_unavailable' || e.type === 'store_restored') {
            const event = { type: e.type, to: e.to, reason: e.reason, at: Date.now() };
            seen.push(event);
            send({ type: 'event', event });
          }
        });
        send({ type: 'ready', pid: process.pid });
        break;
      }
      case 'burst':
        send({ type: 'burst-done', result: await burst(message) });
        break;
      case 'call':
        // One call; resolves when the call settled (for probing one at a time).
        send({ type: 'call-done', result: await burst({ count: 1, kind: message.kind, ms: message.ms }) });
        break;
      case 'loop':
        looped = loop(message);
        send({ type: 'loop-started' });
        break;
      case 'stop-loop': {
        looping = false;
        const stats = await looped;
        send({ type: 'loop-done', stats, unhandled });
        break;
      }
      case 'reset':
        breaker.reset();
        send({ type: 'reset-done' });
        break;
      case 'state':
        send({ type: 'state', state: breaker.state, snapshot: breaker.snapshot(), unhandled });
        break;
      case 'exit':
        breaker.dispose();
        await store.close();
        await client.quit().catch(() => undefined);
        process.exit(0);
    }
  } catch (error) {
    send({ type: 'error', message: String((error && error.stack) || error) });
  }
});
send({ type: 'loaded' });
