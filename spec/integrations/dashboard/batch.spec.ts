import fc from 'fast-check';
import type { CircuitStateChange, ResilienceEvent } from '../../../lib/index';
import { BATCH_LIMITS, EventBatch, OUTCOMES } from '../../../lib/integrations/dashboard/batch';

const base = { at: 1_000 } as const;
const success = (name: string): ResilienceEvent => ({
  ...base,
  name,
  policy: 'circuitBreaker',
  type: 'success',
  duration: 1,
});
const change = (name: string, from = 'closed', to = 'open'): CircuitStateChange =>
  ({ name, from, to, at: 5, reason: 'failure_rate' }) as CircuitStateChange;

/** One event of every type the page counts, plus a state change event, for name `n`. */
const eventOf = (type: string, name: string): ResilienceEvent => {
  switch (type) {
    case 'success':
      return success(name);
    case 'failure':
      return { ...base, name, policy: 'circuitBreaker', type, duration: 2, error: new Error('x') };
    case 'ignored':
      return { ...base, name, policy: 'circuitBreaker', type, duration: 1, error: undefined };
    case 'rejected':
      return { ...base, name, policy: 'circuitBreaker', type, state: 'open', retryAfter: 10 };
    case 'retry':
      return { ...base, name, policy: 'retry', type, attempt: 1, delay: 5 };
    case 'timeout':
      return { ...base, name, policy: 'timeout', type, duration: 100 };
    case 'fallback':
      return { ...base, name, policy: 'fallback', type, error: new Error('y') };
    case 'bulkhead_rejected':
      return { ...base, name, policy: 'bulkhead', type, reason: 'full', active: 1, queued: 0 };
    default:
      return {
        ...base,
        name,
        policy: 'circuitBreaker',
        type: 'state_change',
        from: 'closed',
        to: 'open',
        reason: 'reset',
      };
  }
};

describe('EventBatch', () => {
  it('counts events per name and outcome, leaving out outcomes that did not happen', () => {
    const batch = new EventBatch();
    batch.addEvent(success('payments'));
    batch.addEvent(success('payments'));
    batch.addEvent(eventOf('rejected', 'payments'));
    batch.addEvent(eventOf('retry', 'Client.charge'));
    batch.addEvent(eventOf('bulkhead_rejected', 'db'));
    expect(batch.take()).toEqual({
      counts: [
        { name: 'payments', success: 2, rejected: 1 },
        { name: 'Client.charge', retry: 1 },
        { name: 'db', bulkhead_rejected: 1 },
      ],
      changes: [],
      breakers: ['payments'],
      dropped: 0,
    });
  });

  it('takes state changes from addChange only, in order, and marks their breakers for a refresh', () => {
    const batch = new EventBatch();
    batch.addEvent(eventOf('state_change', 'payments'));
    expect(batch.empty).toBe(true);
    batch.addChange(change('payments'));
    batch.addChange(change('payments', 'open', 'half_open'));
    const taken = batch.take();
    expect(taken.counts).toEqual([]);
    expect(taken.changes.map((c) => `${c.from}->${c.to}`)).toEqual(['closed->open', 'open->half_open']);
    expect(taken.changes[0]).toEqual({ name: 'payments', from: 'closed', to: 'open', at: 5, reason: 'failure_rate' });
    expect(taken.breakers).toEqual(['payments']);
  });

  it('starts afresh after take(), and a name like __proto__ is just a name', () => {
    const batch = new EventBatch();
    batch.addEvent(success('__proto__'));
    batch.addEvent(success('constructor'));
    expect(batch.take().counts).toEqual([
      { name: '__proto__', success: 1 },
      { name: 'constructor', success: 1 },
    ]);
    expect(batch.empty).toBe(true);
    expect(batch.take()).toEqual({ counts: [], changes: [], breakers: [], dropped: 0 });
    expect(({} as Record<string, unknown>)['success']).toBeUndefined();
  });

  it('ignores event types it does not show', () => {
    const batch = new EventBatch();
    batch.addEvent({ ...success('x'), type: 'store_unavailable' } as unknown as ResilienceEvent);
    expect(batch.empty).toBe(true);
  });

  it('stays bounded: names and changes past the limits are counted as dropped, not kept', () => {
    const batch = new EventBatch();
    for (let i = 0; i < BATCH_LIMITS.names + 10; i++) batch.addEvent(success(`b${i}`));
    batch.addEvent(success('b0'));
    for (let i = 0; i < BATCH_LIMITS.changes + 3; i++) batch.addChange(change('b0'));
    const taken = batch.take();
    expect(taken.counts).toHaveLength(BATCH_LIMITS.names);
    expect(taken.counts[0]).toEqual({ name: 'b0', success: 2 });
    expect(taken.changes).toHaveLength(BATCH_LIMITS.changes);
    expect(taken.dropped).toBe(13);
    expect(batch.empty).toBe(true);
  });

  it('agrees with a naive count for any sequence of events and changes', () => {
    const types = [...OUTCOMES, 'state_change'];
    const step = fc.oneof(
      fc.record({ event: fc.constantFrom(...types), name: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ change: fc.constantFrom('a', 'b') }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const batch = new EventBatch();
        const counts = new Map<string, Record<string, number>>();
        const refreshed = new Set<string>();
        const changes: string[] = [];
        for (const s of steps) {
          if ('change' in s) {
            batch.addChange(change(s.change));
            changes.push(s.change);
            refreshed.add(s.change);
            continue;
          }
          const event = eventOf(s.event, s.name);
          batch.addEvent(event);
          if (s.event === 'state_change') continue;
          const row = counts.get(s.name) ?? {};
          row[s.event] = (row[s.event] ?? 0) + 1;
          counts.set(s.name, row);
          if (event.policy === 'circuitBreaker') refreshed.add(s.name);
        }
        const taken = batch.take();
        expect(taken.counts).toEqual([...counts].map(([name, row]) => ({ name, ...row })));
        expect(taken.changes.map((c) => c.name)).toEqual(changes);
        expect(new Set(taken.breakers)).toEqual(refreshed);
        expect(taken.dropped).toBe(0);
      }),
    );
  });
});
