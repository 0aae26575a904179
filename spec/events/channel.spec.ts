import { config } from 'rxjs';
import { Channel } from '../../lib/events/channel.js';
import { emitEvent } from '../../lib/events/outbox.js';
import { events$ } from '../../lib/events/streams.js';
import type { ResilienceEvent } from '../../lib/events/types.js';

describe('Channel', () => {
  it('reports whether anyone listens', () => {
    const channel = new Channel<number>();
    expect(channel.observed).toBe(false);
    const sub = channel.observable.subscribe();
    expect(channel.observed).toBe(true);
    sub.unsubscribe();
    expect(channel.observed).toBe(false);
  });

  it('delivers in order to every subscriber even when one emits from inside its handler', () => {
    const a = new Channel<string>();
    const b = new Channel<string>();
    const seen: string[] = [];
    a.observable.subscribe((v) => {
      seen.push(`1:${v}`);
      if (v === 'first') {
        a.emit('second');
        b.emit('b-after-first');
      }
    });
    a.observable.subscribe((v) => seen.push(`2:${v}`));
    b.observable.subscribe((v) => seen.push(`b:${v}`));
    a.emit('first');
    expect(seen).toEqual(['1:first', '2:first', '1:second', '2:second', 'b:b-after-first']);
  });

  it('keeps delivering to others when a subscriber throws, and reports the error to RxJS', () => {
    const reported: unknown[] = [];
    const previous = config.onUnhandledError;
    config.onUnhandledError = (e) => reported.push(e);
    jest.useFakeTimers();
    try {
      const channel = new Channel<number>();
      const boom = new Error('subscriber bug');
      const seen: number[] = [];
      channel.observable.subscribe(() => {
        throw boom;
      });
      channel.observable.subscribe((v) => seen.push(v));
      expect(() => channel.emit(1)).not.toThrow();
      channel.emit(2);
      expect(seen).toEqual([1, 2]);
      jest.runAllTimers();
      expect(reported).toEqual([boom, boom]);
    } finally {
      config.onUnhandledError = previous;
      jest.useRealTimers();
    }
  });
});

describe("Channel under RxJS's useDeprecatedSynchronousErrorHandling", () => {
  it('keeps a throwing subscriber from the emitter and the others, and reports it to config.onUnhandledError', async () => {
    const reported: unknown[] = [];
    const previous = config.onUnhandledError;
    config.onUnhandledError = (e) => reported.push(e);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated setting is what this spec is about
    config.useDeprecatedSynchronousErrorHandling = true;
    try {
      const channel = new Channel<number>();
      const bug = new Error('subscriber bug');
      const seen: number[] = [];
      channel.observable.subscribe(() => {
        throw bug;
      });
      channel.observable.subscribe((v) => {
        seen.push(v);
        if (v === 1) channel.emit(2); // re-entrant: queued, delivered after, also safely
      });
      expect(() => channel.emit(1)).not.toThrow();
      expect(seen).toEqual([1, 2]);
      expect(reported).toEqual([]); // later, never from inside emit
      await new Promise((resolve) => setImmediate(resolve));
      expect(reported).toEqual([bug, bug]);
      // emitEvent, the path of every other policy's events, is as safe.
      const events = events$.subscribe(() => {
        throw bug;
      });
      try {
        expect(() =>
          emitEvent(() => ({ type: 'timeout', at: 0, policy: 'timeout', name: 't', duration: 1 })),
        ).not.toThrow();
      } finally {
        events.unsubscribe();
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(reported).toEqual([bug, bug, bug]);
    } finally {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated setting is what this spec is about
      config.useDeprecatedSynchronousErrorHandling = false;
      config.onUnhandledError = previous;
    }
  });
});

describe('emitEvent', () => {
  it('keeps the order when a delivery threw and left events waiting', () => {
    // RxJS only lets a subscriber's error escape synchronously under its deprecated setting; a
    // delivery that throws is simulated here. What the throwing delivery queued must go first.
    const a = new Channel<string>();
    const b = new Channel<string>();
    const seen: string[] = [];
    b.observable.subscribe((v) => seen.push(v));
    const deliver = jest.spyOn(a, 'deliver').mockImplementationOnce(() => {
      b.emit('queued while a was delivering');
      throw new Error('subscriber failed');
    });
    expect(() => a.emit('first')).toThrow('subscriber failed');
    b.emit('emitted after');
    expect(seen).toEqual(['queued while a was delivering', 'emitted after']);
    deliver.mockRestore();
  });

  it('builds nothing when nobody listens', () => {
    const build = jest.fn((): ResilienceEvent => ({
      type: 'timeout',
      at: 0,
      policy: 'timeout',
      name: 't',
      duration: 1,
    }));
    emitEvent(build);
    emitEvent(build, new Channel<ResilienceEvent>());
    expect(build).not.toHaveBeenCalled();
  });

  it('sends one event object to the local and the global stream', () => {
    const local = new Channel<ResilienceEvent>();
    const seenLocal: ResilienceEvent[] = [];
    const seenGlobal: ResilienceEvent[] = [];
    const s1 = local.observable.subscribe((e) => seenLocal.push(e));
    const s2 = events$.subscribe((e) => seenGlobal.push(e));
    emitEvent(() => ({ type: 'timeout', at: 1, policy: 'timeout', name: 't', duration: 5 }), local);
    s1.unsubscribe();
    emitEvent(() => ({ type: 'timeout', at: 2, policy: 'timeout', name: 't', duration: 5 }), local);
    s2.unsubscribe();
    expect(seenLocal.map((e) => e.at)).toEqual([1]);
    expect(seenGlobal.map((e) => e.at)).toEqual([1, 2]);
    expect(seenLocal[0]).toBe(seenGlobal[0]);
  });
});
