import { Bulkhead } from '../../lib/decorators/bulkhead.js';
import { CircuitBreaker } from '../../lib/decorators/circuit-breaker.js';
import { Fallback } from '../../lib/decorators/fallback.js';
import { Retry } from '../../lib/decorators/retry.js';
import { Timeout } from '../../lib/decorators/timeout.js';
import { events$, stateChanges$ } from '../../lib/events/streams.js';
import { getBulkhead } from '../../lib/policies/bulkhead/registry.js';
import { getCircuitBreaker } from '../../lib/policies/circuit-breaker/registry.js';
import { getEventListeners } from '../policies/bulkhead/test-kit.js';

/** mulberry32: a small seeded PRNG, so a failing run can be replayed exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20_240_611;
const CALLS = 3_000;
const MAX_CONCURRENT = 4;
const MAX_QUEUE = 8;

/** The downstream's mood changes over time so the breaker opens, probes and closes again. */
function failureRate(now: number): number {
  const phase = Math.floor(now / 400) % 4;
  return phase === 1 ? 0.9 : phase === 3 ? 0.5 : 0.05;
}

/** Sleeps for `ms`, honouring `signal` unless told to ignore it (work that keeps its permit). */
function sleep(ms: number, signal: AbortSignal | undefined, ignoreSignal: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ignoreSignal || signal === undefined) {
      setTimeout(resolve, ms);
      return;
    }
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

describe('all five policies under load (seeded, fake timers)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps every invariant throughout and at the end', async () => {
    const random = prng(SEED);
    let running = 0;
    let peakRunning = 0;
    const violations: string[] = [];

    class Downstream {
      @Fallback((error: unknown) => `fallback:${(error as { code?: string }).code ?? 'error'}`)
      @CircuitBreaker({
        name: 'stress-breaker',
        failureThreshold: 5,
        resetTimeout: 150,
        successThreshold: 2,
        halfOpenMaxCalls: 2,
      })
      @Retry({ maxAttempts: 3, delay: 5, backoff: 'fixed', jitter: 'none' })
      @Timeout(40)
      @Bulkhead({ name: 'stress-bulkhead', maxConcurrent: MAX_CONCURRENT, maxQueue: MAX_QUEUE, queueTimeout: 25 })
      async fetch(id: number, signal?: AbortSignal): Promise<string> {
        running++;
        peakRunning = Math.max(peakRunning, running);
        if (running > MAX_CONCURRENT) violations.push(`call ${id}: ${running} running`);
        try {
          const slow = random() < 0.15;
          await sleep(slow ? 30 + Math.floor(random() * 40) : 1 + Math.floor(random() * 8), signal, random() < 0.3);
          if (random() < failureRate(Date.now())) throw new Error(`downstream failed ${id}`);
          return `ok:${id}`;
        } finally {
          running--;
        }
      }
    }

    const transitions: string[] = [];
    const subs = [
      stateChanges$.subscribe((c) => c.name === 'stress-breaker' && transitions.push(`${c.from}>${c.to}`)),
      events$.subscribe((e) => {
        if (e.type === 'bulkhead_rejected' && e.queued > MAX_QUEUE) violations.push(`queued ${e.queued}`);
      }),
    ];
    const client = new Downstream();
    const bulkhead = getBulkhead('stress-bulkhead')!;
    const longLived = new AbortController(); // shared by many calls, never aborted
    // breakwater keeps one listener on it however many calls share it; zero once they have settled.
    const controllers: AbortController[] = [longLived];
    const settled = new Array<number>(CALLS).fill(0);
    const outcome = { ok: 0, fallback: 0, aborted: 0, other: 0 };
    const fallbackCodes = new Map<string, number>();

    let started = 0;
    while (started < CALLS) {
      const arrivals = Math.floor(random() * 4);
      for (let k = 0; k < arrivals && started < CALLS; k++) {
        const id = started++;
        const kind = random();
        let signal: AbortSignal | undefined;
        if (kind < 0.4) signal = longLived.signal;
        else if (kind < 0.55) {
          const controller = new AbortController();
          controllers.push(controller);
          signal = controller.signal;
          setTimeout(() => controller.abort(new Error(`caller ${id} left`)), 1 + Math.floor(random() * 60));
        }
        const promise = signal === undefined ? client.fetch(id) : client.fetch(id, signal);
        promise.then(
          (value) => {
            settled[id]!++;
            if (value.startsWith('ok:')) outcome.ok++;
            else {
              outcome.fallback++;
              fallbackCodes.set(value, (fallbackCodes.get(value) ?? 0) + 1);
            }
          },
          (error: unknown) => {
            settled[id]!++;
            if (error instanceof Error && error.message.startsWith('caller ')) outcome.aborted++;
            else {
              outcome.other++;
              violations.push(`call ${id} rejected with ${String(error)}`);
            }
          },
        );
      }
      await jest.advanceTimersByTimeAsync(1);
      if (bulkhead.active > MAX_CONCURRENT) violations.push(`active ${bulkhead.active}`);
      if (bulkhead.queued > MAX_QUEUE) violations.push(`queued ${bulkhead.queued}`);
      if (running > MAX_CONCURRENT) violations.push(`running ${running}`);
      if (violations.length > 0) break;
    }
    // Let everything still in flight (work that ignores its signal, sleeps, aborts) finish.
    for (let i = 0; i < 50 && (jest.getTimerCount() > 0 || settled.some((n) => n === 0)); i++) {
      await jest.advanceTimersByTimeAsync(100);
    }
    subs.forEach((s) => s.unsubscribe());

    expect(violations).toEqual([]);
    expect(peakRunning).toBe(MAX_CONCURRENT);
    expect(settled.every((n) => n === 1)).toBe(true);
    expect(outcome.ok + outcome.fallback + outcome.aborted).toBe(CALLS);
    expect(bulkhead.snapshot()).toMatchObject({ active: 0, queued: 0, available: MAX_CONCURRENT });
    expect(running).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    for (const c of controllers) expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);

    // Every kind of trouble happened, so the invariants were tested against all of it.
    expect(outcome.aborted).toBeGreaterThan(0);
    const codes = [...fallbackCodes.keys()];
    expect(codes).toEqual(
      expect.arrayContaining([
        'fallback:ERR_TIMEOUT',
        'fallback:ERR_BULKHEAD_FULL',
        'fallback:ERR_CIRCUIT_OPEN',
        'fallback:error',
      ]),
    );
    expect(transitions).toEqual(expect.arrayContaining(['closed>open', 'open>half_open', 'half_open>closed']));

    const metrics = getCircuitBreaker('stress-breaker')!.snapshot().metrics;
    expect(metrics.totalCalls).toBe(
      metrics.successfulCalls + metrics.failedCalls + metrics.rejectedCalls + metrics.ignoredCalls,
    );
    expect(metrics.totalCalls).toBeGreaterThan(0);
    expect(metrics.totalCalls).toBeLessThanOrEqual(CALLS);
    expect(metrics.rejectedCalls).toBeGreaterThan(0);
  }, 30_000);
});
