import { getEventListeners } from 'node:events';
import { CallerScope, ChildScope, isAbortSignal, NEVER_ABORTED, NO_SCOPE } from '../../lib/runtime/scope.js';

describe('Scope', () => {
  it('NO_SCOPE can never abort and hands out the one shared, never-aborted signal', () => {
    expect(NO_SCOPE.cancellable).toBe(false);
    expect(NO_SCOPE.signal()).toBe(NEVER_ABORTED);
    expect(NO_SCOPE.signal()).toBe(NO_SCOPE.signal());
    expect(NEVER_ABORTED).toBeInstanceOf(AbortSignal);
    expect(NEVER_ABORTED.aborted).toBe(false);
    const dispose = NO_SCOPE.onAbort(() => {
      throw new Error('never');
    });
    dispose();
  });

  it('CallerScope mirrors the caller signal and removes its listener on dispose', () => {
    const controller = new AbortController();
    const scope = new CallerScope(controller.signal);
    const seen: unknown[] = [];
    const dispose = scope.onAbort((r) => seen.push(r));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    dispose();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    scope.onAbort((r) => seen.push(r));
    controller.abort('why');
    expect(scope.aborted).toBe(true);
    expect(scope.reason).toBe('why');
    expect(scope.signal()).toBe(controller.signal);
    expect(seen).toEqual(['why']);
  });

  it('keeps one listener on a caller signal however many calls share it, and none once they end', () => {
    const controller = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const scopes = Array.from({ length: 50 }, () => new CallerScope(controller.signal));
      const seen: unknown[] = [];
      const disposers = scopes.map((scope, i) => scope.onAbort((r) => seen.push([i, r])));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      disposers.slice(1).forEach((dispose) => dispose());
      disposers[1]!(); // disposing twice is harmless
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      controller.abort('stop');
      expect(seen).toEqual([[0, 'stop']]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      disposers[0]!();
      const other = new AbortController();
      const dispose = new CallerScope(other.signal).onAbort(() => undefined);
      dispose();
      expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
      // A new subscriber after the last one left gets a fresh hub.
      const again = jest.fn();
      new CallerScope(other.signal).onAbort(again);
      other.abort('later');
      expect(again).toHaveBeenCalledWith('later');
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('ChildScope creates no AbortController until a signal is asked for', () => {
    const Original = globalThis.AbortController;
    let created = 0;
    globalThis.AbortController = class Counted extends Original {
      constructor() {
        super();
        created++;
      }
    };
    try {
      const child = new ChildScope(NO_SCOPE);
      child.abort(new Error('t'));
      expect(created).toBe(0);
      expect(child.signal().aborted).toBe(true);
      expect(created).toBe(1);
    } finally {
      globalThis.AbortController = Original;
    }
  });

  it('ChildScope aborts with its parent and links to it only while needed', () => {
    const controller = new AbortController();
    const parent = new CallerScope(controller.signal);
    const child = new ChildScope(parent);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const signal = child.signal();
    const reasons: unknown[] = [];
    child.onAbort((r) => reasons.push(r));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort('parent');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('parent');
    expect(reasons).toEqual(['parent']);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('ChildScope.dispose unlinks from the parent and silences listeners', () => {
    const controller = new AbortController();
    const child = new ChildScope(new CallerScope(controller.signal));
    const listener = jest.fn();
    child.onAbort(listener);
    child.dispose();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(listener).not.toHaveBeenCalled();
  });

  it('ChildScope aborts once, keeps the first reason, and starts aborted under an aborted parent', () => {
    const child = new ChildScope(NO_SCOPE);
    const listener = jest.fn();
    child.onAbort(listener);
    child.abort('first');
    child.abort('second');
    expect(child.reason).toBe('first');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(child.onAbort(listener)).toBeInstanceOf(Function);
    const late = new ChildScope(new CallerScope(AbortSignal.abort('gone')));
    expect(late.aborted).toBe(true);
    expect(late.signal().reason).toBe('gone');
  });

  it('recognises AbortSignals, also look-alikes from another realm', () => {
    expect(isAbortSignal(new AbortController().signal)).toBe(true);
    expect(isAbortSignal({ aborted: false, addEventListener() {}, removeEventListener() {} })).toBe(true);
    expect(isAbortSignal({ aborted: false })).toBe(false);
    expect(isAbortSignal(null)).toBe(false);
    expect(isAbortSignal('signal')).toBe(false);
  });
});
