import { ManualClock } from '../../../lib/clock/manual-clock';
import { CircuitBreaker } from '../../../lib/decorators/circuit-breaker';
import { isPolicyConfigError } from '../../../lib/errors/policy-config-error';
import { circuitBreaker } from '../../../lib/functional/circuit-breaker';
import { getCircuitBreaker, listCircuitBreakers } from '../../../lib/policies/circuit-breaker/registry';
import { breakers } from '../../../lib/policies/circuit-breaker/registry-state';
import { deferred } from './fixtures/helpers';

const fail = (): Promise<never> => Promise.reject(new Error('down'));

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(isPolicyConfigError(error)).toBe(true);
    return error as Error;
  }
  throw new Error('expected a PolicyConfigError');
}

describe('default-named breakers', () => {
  it('are listed while their class lives, held weakly by the registry', async () => {
    class Weakly {
      @CircuitBreaker()
      async read(): Promise<string> {
        return 'row';
      }
    }
    await new Weakly().read();
    const name = listCircuitBreakers()
      .map((b) => b.name)
      .find((n) => n.startsWith('Weakly.read'))!;
    expect(getCircuitBreaker(name)?.snapshot().metrics.successfulCalls).toBe(1);
    expect(breakers.isWeak(name)).toBe(true);
  });

  it('are held strongly once an explicit name reaches them', async () => {
    class Upgraded {
      @CircuitBreaker({ failureThreshold: 2 })
      async read(): Promise<string> {
        return 'row';
      }
    }
    await new Upgraded().read();
    const name = listCircuitBreakers()
      .map((b) => b.name)
      .find((n) => n.startsWith('Upgraded.read'))!;
    const byName = circuitBreaker({ name, failureThreshold: 2 });
    expect(byName).toBe(getCircuitBreaker(name));
    expect(breakers.isWeak(name)).toBe(false);
    // A decorated method uses it: it cannot be disposed.
    expect(() => byName.dispose()).toThrow(/Upgraded\.read.* uses this one/);
  });
});

describe('dispose()', () => {
  it('takes a named functional breaker out of the registry; the name then makes a fresh breaker', async () => {
    const first = circuitBreaker({ name: 'reg-dispose', failureThreshold: 1 });
    await first.execute(fail).catch(() => undefined);
    expect(first.state).toBe('open');
    first.dispose();
    expect(getCircuitBreaker('reg-dispose')).toBeUndefined();
    expect(listCircuitBreakers()).not.toContain(first);
    // Other options are no conflict: the disposed breaker is gone from the registry.
    const second = circuitBreaker({ name: 'reg-dispose', failureThreshold: 3 });
    expect(second).not.toBe(first);
    expect(second.state).toBe('closed');
    expect(getCircuitBreaker('reg-dispose')).toBe(second);
    // Disposing the old handle again changes nothing for the new one.
    first.dispose();
    expect(getCircuitBreaker('reg-dispose')).toBe(second);
    second.dispose();
  });

  it('leaves a working, unregistered breaker: calls in flight settle into it, later calls are judged by it', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ name: 'reg-in-flight', failureThreshold: 1, clock });
    const running = deferred<string>();
    const call = breaker.execute(() => running.promise);
    breaker.dispose();
    running.reject(new Error('down'));
    await expect(call).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().metrics.failedCalls).toBe(1);
    await expect(breaker.execute(() => 'x')).rejects.toMatchObject({
      code: 'ERR_CIRCUIT_OPEN',
      breakerName: 'reg-in-flight',
    });
    expect(getCircuitBreaker('reg-in-flight')).toBeUndefined();
  });

  it('is a no-op for an anonymous breaker', async () => {
    const before = listCircuitBreakers().length;
    const anonymous = circuitBreaker();
    anonymous.dispose();
    await expect(anonymous.execute(() => 1)).resolves.toBe(1);
    expect(listCircuitBreakers()).toHaveLength(before);
  });

  it('refuses a breaker that a decorated method uses, saying which', async () => {
    class Billing {
      @CircuitBreaker({ name: 'reg-decorated' })
      async charge(): Promise<void> {}
      @CircuitBreaker()
      async refund(): Promise<void> {}
      @CircuitBreaker({ name: 'reg-per-object', scope: 'instance' })
      async read(): Promise<void> {}
    }
    const billing = new Billing();
    await Promise.all([billing.charge(), billing.refund(), billing.read()]);
    const named = caught(() => getCircuitBreaker('reg-decorated')!.dispose());
    expect(named.message).toMatch(
      /^Invalid options for dispose\(\) of circuit breaker "reg-decorated": name must be the name of a breaker made by circuitBreaker\(\) only: @CircuitBreaker on .*charge uses this one/,
    );
    const byDefault = listCircuitBreakers().find((b) => b.name.startsWith('Billing.refund'))!;
    expect(caught(() => byDefault.dispose()).message).toMatch(/belongs to a decorated method/);
    expect(caught(() => getCircuitBreaker('reg-per-object#1')!.dispose()).message).toMatch(
      /belongs to a decorated method/,
    );
    // A functional breaker that a decorator later declares too is the decorator's as well.
    const shared = circuitBreaker({ name: 'reg-shared-later' });
    class Later {
      @CircuitBreaker({ name: 'reg-shared-later' })
      async m(): Promise<void> {}
    }
    void Later;
    expect(caught(() => shared.dispose()).message).toMatch(/@CircuitBreaker on .*m uses this one/);
    expect(getCircuitBreaker('reg-decorated')).toBeDefined();
  });
});

describe('a name declared again with other options', () => {
  it('names the first declaration, a decorated method, and each differing option with both values', () => {
    const clock = new ManualClock();
    const predicate = (): boolean => true;
    class Payments {
      @CircuitBreaker({ name: 'reg-conflict', failureThreshold: 3, resetTimeout: 30_000, failurePredicate: predicate })
      async charge(): Promise<void> {}
    }
    void Payments;
    const error = caught(() =>
      circuitBreaker({
        name: 'reg-conflict',
        failureThreshold: 4,
        slidingWindow: { type: 'time', duration: 1_000 },
        failurePredicate: () => false,
        clock,
      }),
    );
    expect(error.message).toMatch(
      /^Invalid options for circuitBreaker\(\{ name: "reg-conflict" \}\): name must be a name not already used by a breaker with other options: "reg-conflict" was first declared by @CircuitBreaker on (Payments\.)?charge, and differs in /,
    );
    expect(error.message).toContain(
      "differs in failureThreshold (3 there, 4 here), resetTimeout (30000 there, 60000 here), failurePredicate (function predicate there, function failurePredicate here), clock (not set there, a ManualClock here), slidingWindow ({ type: 'count', size: 100 } there, { type: 'time', duration: 1000 } here)",
    );
  });

  it('names a functional first declaration, and tells two functions of one name apart', () => {
    const make = (): ((e: unknown) => boolean) => (e) => e instanceof TypeError;
    circuitBreaker({ name: 'reg-conflict-fn', failurePredicate: make() });
    const error = caught(() => circuitBreaker({ name: 'reg-conflict-fn', failurePredicate: make() }));
    expect(error.message).toContain(
      '"reg-conflict-fn" was first declared by a functional policy, circuitBreaker({ name: "reg-conflict-fn" }), and differs in failurePredicate (function (anonymous) there, another function (anonymous) here)',
    );
  });

  it('says when only the rule differs: a failureThreshold given or not', () => {
    circuitBreaker({ name: 'reg-conflict-rule', failureRateThreshold: 0.5 });
    expect(() => circuitBreaker({ name: 'reg-conflict-rule', failureRateThreshold: 0.5, failureThreshold: 5 })).toThrow(
      /differs in failureThreshold \(given explicitly or not\) \(not given: rates only there, given here\)/,
    );
  });

  it('names the class of a default-named breaker, and the declaration of a per-instance name', async () => {
    class Inventory {
      @CircuitBreaker({ failureThreshold: 2 })
      async count(): Promise<number> {
        return 1;
      }
    }
    await new Inventory().count();
    const label = listCircuitBreakers()
      .map((b) => b.name)
      .find((n) => n.startsWith('Inventory.count'))!;
    expect(caught(() => circuitBreaker({ name: label })).message).toContain(
      `"${label}" was first declared by @CircuitBreaker on ${label}, and differs in failureThreshold (2 there, 5 here)`,
    );
    class Replica {
      @CircuitBreaker({ name: 'reg-conflict-family', scope: 'instance', failureThreshold: 2 })
      async read(): Promise<void> {}
    }
    void Replica;
    expect(caught(() => circuitBreaker({ name: 'reg-conflict-family' })).message).toMatch(
      /"reg-conflict-family" was first declared by @CircuitBreaker on (Replica\.)?read, and differs in scope \("instance" there, "shared" here\), failureThreshold \(2 there, 5 here\)/,
    );
  });
});
