import { ManualClock } from '../../../lib/clock/manual-clock.js';
import { events$ } from '../../../lib/events/streams.js';
import type { ResilienceEvent, RetryOutcomeEvent } from '../../../lib/events/types.js';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker.js';
import { compose } from '../../../lib/functional/compose.js';
import { retry } from '../../../lib/functional/retry.js';
import { flaky, flushMicrotasks, track } from './test-kit.js';

// `retry_outcome`: one event per logical call through a retry, saying how it ended and after how
// many attempts. Exporters turn it into Resilience4j's four retry kinds; nothing is counted or
// timed while nobody listens.

function recordOutcomes(): { outcomes: RetryOutcomeEvent[]; stop: () => void } {
  const outcomes: RetryOutcomeEvent[] = [];
  const sub = events$.subscribe((e: ResilienceEvent) => {
    if (e.type === 'retry_outcome') outcomes.push(e);
  });
  return { outcomes, stop: () => sub.unsubscribe() };
}

async function advance(clock: ManualClock, ms: number): Promise<void> {
  await flushMicrotasks();
  clock.advance(ms);
  await flushMicrotasks();
}

describe('retry_outcome', () => {
  it('reports a first-attempt success with 1 attempt and the call duration', async () => {
    const rec = recordOutcomes();
    try {
      const clock = new ManualClock();
      const policy = retry({ clock, delay: 10 });
      await expect(policy.execute(async () => 'ok')).resolves.toBe('ok');
      expect(rec.outcomes).toEqual([
        { type: 'retry_outcome', at: 0, policy: 'retry', name: 'retry', outcome: 'success', attempts: 1, duration: 0 },
      ]);
    } finally {
      rec.stop();
    }
  });

  it('reports a success after retries with the attempts made and the time spent waiting', async () => {
    const rec = recordOutcomes();
    try {
      const clock = new ManualClock();
      const work = flaky(2, 'ok');
      const result = track(retry({ clock, delay: 100, jitter: 'none', backoff: 'fixed' }).execute(work.fn));
      await advance(clock, 100);
      await advance(clock, 100);
      expect(result).toEqual({ state: 'resolved', value: 'ok' });
      expect(rec.outcomes).toEqual([expect.objectContaining({ outcome: 'success', attempts: 3, duration: 200 })]);
      expect(rec.outcomes[0]).not.toHaveProperty('error');
    } finally {
      rec.stop();
    }
  });

  it('reports a failure once attempts run out, with the last error', async () => {
    const rec = recordOutcomes();
    try {
      const work = flaky(5, 'never');
      const error = await retry({ delay: 0, maxAttempts: 3 })
        .execute(work.fn)
        .catch((e: unknown) => e);
      expect(error).toBe(work.errors[2]);
      expect(rec.outcomes).toEqual([
        expect.objectContaining({ outcome: 'failure', attempts: 3, error: work.errors[2] }),
      ]);
    } finally {
      rec.stop();
    }
  });

  it('reports a failure without retry when the error is not retried', async () => {
    const rec = recordOutcomes();
    try {
      const error = new TypeError('bad request');
      const policy = retry({ delay: 0, retryOn: [RangeError] });
      await expect(policy.execute(() => Promise.reject(error))).rejects.toBe(error);
      expect(rec.outcomes).toEqual([expect.objectContaining({ outcome: 'failure', attempts: 1, error })]);
    } finally {
      rec.stop();
    }
  });

  it('counts a last result that retryOnResult rejected as a failure, though the call resolves with it', async () => {
    const rec = recordOutcomes();
    try {
      const policy = retry({ delay: 0, maxAttempts: 2, retryOnResult: (r) => r === 'busy' });
      await expect(policy.execute(async () => 'busy')).resolves.toBe('busy');
      expect(rec.outcomes).toEqual([expect.objectContaining({ outcome: 'failure', attempts: 2 })]);
      expect(rec.outcomes[0]).not.toHaveProperty('error');
    } finally {
      rec.stop();
    }
  });

  it('reports the single attempt of a retry allowed only one', async () => {
    const rec = recordOutcomes();
    try {
      const error = new Error('down');
      await expect(retry({ maxAttempts: 1 }).execute(() => Promise.reject(error))).rejects.toBe(error);
      await retry({ maxAttempts: 1 }).execute(async () => 1);
      expect(rec.outcomes.map((e) => [e.outcome, e.attempts])).toEqual([
        ['failure', 1],
        ['success', 1],
      ]);
    } finally {
      rec.stop();
    }
  });

  it('reports the attempts actually made when an outer breaker opens during the wait', async () => {
    const rec = recordOutcomes();
    try {
      const clock = new ManualClock();
      const breaker = circuitBreaker({ clock, failureThreshold: 1 });
      const policy = compose(breaker, retry({ clock, delay: 100, jitter: 'none', maxAttempts: 5 }));
      const work = flaky(10, 'never');
      const result = track(policy.execute(work.fn));
      await flushMicrotasks();
      breaker.forceOpen();
      await advance(clock, 100);
      expect(result.state).toBe('rejected');
      expect(rec.outcomes).toEqual([expect.objectContaining({ outcome: 'failure', attempts: 1 })]);
    } finally {
      rec.stop();
    }
  });

  it('neither counts nor reads the clock while nobody listens', async () => {
    const clock = new ManualClock();
    const reads = jest.spyOn(clock, 'monotonic');
    await retry({ clock, delay: 0 }).execute(async () => 'ok');
    expect(reads).not.toHaveBeenCalled();
    const rec = recordOutcomes();
    try {
      await retry({ clock, delay: 0 }).execute(async () => 'ok');
      expect(reads).toHaveBeenCalled();
    } finally {
      rec.stop();
    }
  });
});
