import type { PolicyExecutor, SoloPolicy } from '../../lib/runtime/call.js';
import { buildChain, buildLayers, runChain } from '../../lib/runtime/chain.js';
import type { PolicyKind } from '../../lib/shared/policy-kind.js';
import { NEVER_ABORTED } from '../../lib/runtime/scope.js';

const tracer = (kind: PolicyKind, seen: Array<[PolicyKind, PolicyKind[]]>): PolicyExecutor => ({
  kind,
  run: (call, next, inner) => {
    seen.push([kind, [...inner]]);
    return next(call);
  },
});

describe('chain', () => {
  it('tells each layer which kinds are inside it', async () => {
    const seen: Array<[PolicyKind, PolicyKind[]]> = [];
    const chain = buildChain([tracer('circuitBreaker', seen), tracer('retry', seen), tracer('timeout', seen)]);
    await runChain(chain, undefined, [], () => 'x', 'function', undefined);
    expect(seen).toEqual([
      ['circuitBreaker', ['timeout', 'retry']],
      ['retry', ['timeout']],
      ['timeout', []],
    ]);
  });

  it('offers the fast path of a lone layer only, and only when the layer has one', () => {
    const solo: PolicyExecutor & SoloPolicy = {
      ...tracer('circuitBreaker', []),
      admitsSynchronously: true,
      admitAlone: () => Number.NaN,
      generation: 0,
      settleAlone: (result) => result,
    };
    expect(buildLayers([solo]).alone).toBe(solo);
    // A layer that may wait before admitting (a breaker sharing its state) never takes the fast path.
    const waits: PolicyExecutor & SoloPolicy = { ...solo, admitsSynchronously: false };
    expect(buildLayers([waits]).alone).toBeUndefined();
    expect(buildLayers([tracer('circuitBreaker', [])]).alone).toBeUndefined();
    expect(buildLayers([solo, tracer('retry', [])]).alone).toBeUndefined();
    expect(buildLayers([]).alone).toBeUndefined();
  });

  it('turns a policy that throws synchronously into a rejection', async () => {
    const boom = new Error('bug');
    const chain = buildChain([
      {
        kind: 'retry',
        run: () => {
          throw boom;
        },
      },
    ]);
    await expect(runChain(chain, undefined, [], () => 1, 'function', undefined)).rejects.toBe(boom);
  });

  it("hands a function the shared never-aborted signal when nothing can cancel it, else the call's", async () => {
    const chain = buildChain([]);
    const seen: unknown[] = [];
    await runChain(chain, undefined, [], (signal) => seen.push(signal), 'function', undefined);
    await runChain(chain, undefined, [], (signal) => seen.push(signal), 'function', undefined);
    const controller = new AbortController();
    await runChain(chain, undefined, [], (signal) => seen.push(signal), 'function', controller.signal);
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe(NEVER_ABORTED);
    expect(seen[1]).toBe(NEVER_ABORTED);
    expect(seen[2]).toBe(controller.signal);
  });

  it('calls a function that declares no parameter with none', async () => {
    const chain = buildChain([]);
    const counts: number[] = [];
    await runChain(
      chain,
      undefined,
      [],
      function (...args: unknown[]) {
        counts.push(args.length);
      },
      'function',
      undefined,
    );
    expect(counts).toEqual([0]);
  });

  it('accepts plain values and thrown errors from JavaScript callers', async () => {
    const chain = buildChain([]);
    await expect(runChain(chain, undefined, [], () => 42, 'function', undefined)).resolves.toBe(42);
    const boom = new Error('sync');
    await expect(
      runChain(
        chain,
        undefined,
        [],
        () => {
          throw boom;
        },
        'function',
        undefined,
      ),
    ).rejects.toBe(boom);
  });

  it('settles with the work when it wins the race against the caller signal', async () => {
    const controller = new AbortController();
    const chain = buildChain([]);
    await expect(runChain(chain, undefined, [], async () => 'done', 'function', controller.signal)).resolves.toBe(
      'done',
    );
    const boom = new Error('failed');
    await expect(
      runChain(chain, undefined, [], () => Promise.reject(boom), 'function', controller.signal),
    ).rejects.toBe(boom);
  });
});
