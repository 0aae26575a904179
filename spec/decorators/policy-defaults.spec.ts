import {
  CircuitBreaker,
  getCircuitBreaker,
  isPolicyConfigError,
  PolicyConfigError,
  retry,
  Retry,
  setPolicyDefaults,
} from '../../lib/index.js';

// setPolicyDefaults: options for the decorators that do not set them, applied when a method's
// policy is created (its first call), so defaults set at start-up reach classes defined before.

afterEach(() => setPolicyDefaults(undefined));

function failing(counter: { calls: number }): Promise<never> {
  counter.calls += 1;
  return Promise.reject(new Error('down'));
}

describe('setPolicyDefaults', () => {
  it('gives @Retry() its defaults at the first call, and an option written on the decorator wins', async () => {
    class Client {
      readonly plain = { calls: 0 };
      readonly own = { calls: 0 };
      @Retry()
      async viaDefaults(): Promise<never> {
        return failing(this.plain);
      }
      @Retry({ maxAttempts: 2 })
      async withOwn(): Promise<never> {
        return failing(this.own);
      }
    }
    // Defined before the defaults, as a Nest provider is before its module starts.
    setPolicyDefaults({ retry: { maxAttempts: 4, delay: 0 } });
    const client = new Client();
    await expect(client.viaDefaults()).rejects.toThrow('down');
    await expect(client.withOwn()).rejects.toThrow('down');
    expect(client.plain.calls).toBe(4);
    expect(client.own.calls).toBe(2);
  });

  it('never reaches a functional policy, which takes only its own options', async () => {
    setPolicyDefaults({ retry: { maxAttempts: 5, delay: 0 } });
    const counter = { calls: 0 };
    await expect(retry({ delay: 0 }).execute(() => failing(counter))).rejects.toThrow('down');
    expect(counter.calls).toBe(3);
  });

  it('gives a default-named @CircuitBreaker its defaults; a named one keeps the options written where it was declared', async () => {
    class Client {
      readonly counter = { calls: 0 };
      @CircuitBreaker()
      async unnamed(): Promise<never> {
        return failing(this.counter);
      }
      @CircuitBreaker({ name: 'defaults-spec-named' })
      async named(): Promise<never> {
        return failing(this.counter);
      }
    }
    setPolicyDefaults({ circuitBreaker: { failureThreshold: 1 } });
    const client = new Client();
    await expect(client.unnamed()).rejects.toThrow('down');
    expect(getCircuitBreaker('Client.unnamed')?.state).toBe('open');
    expect(getCircuitBreaker('Client.unnamed')?.settings.failureThreshold).toBe(1);
    await expect(client.named()).rejects.toThrow('down');
    expect(getCircuitBreaker('defaults-spec-named')?.state).toBe('closed');
    expect(getCircuitBreaker('defaults-spec-named')?.settings.failureThreshold).toBe(5);
  });

  it('reports a decorator option that disagrees with a default on the first call, naming both sources', async () => {
    class Client {
      @Retry({ delay: 100 })
      async call(): Promise<string> {
        return 'ok';
      }
    }
    setPolicyDefaults({ retry: { maxDelay: 50 } });
    const error: unknown = await new Client().call().catch((e: unknown) => e);
    expect(isPolicyConfigError(error)).toBe(true);
    expect(String(error)).toMatch(
      /@Retry on Client\.call \(with the policy defaults\).*delay must be at most maxDelay \(50\)/,
    );
  });

  it('checks every default at once, naming kind and field, and keeps the previous defaults on error', async () => {
    setPolicyDefaults({ retry: { maxAttempts: 2, delay: 0 } });
    let error: unknown;
    try {
      setPolicyDefaults({
        retry: { maxAttempts: 0, retryOnResult: () => true } as never,
        circuitBreaker: { name: 'x', resetTimeout: -1 } as never,
        bulkhead: { maxConcurrent: 1 },
      } as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyConfigError);
    expect((error as PolicyConfigError).issues.map((i) => i.field)).toEqual([
      'bulkhead',
      'circuitBreaker.name',
      'circuitBreaker.resetTimeout',
      'retry.retryOnResult',
      'retry.maxAttempts',
    ]);
    expect(String(error)).toContain('circuitBreaker.name cannot be a default: it belongs to one breaker');
    expect(String(error)).toMatch(/^PolicyConfigError: Invalid options for setPolicyDefaults\(\)/);
    class Client {
      readonly counter = { calls: 0 };
      @Retry()
      async call(): Promise<never> {
        return failing(this.counter);
      }
    }
    const client = new Client();
    await expect(client.call()).rejects.toThrow('down');
    expect(client.counter.calls).toBe(2);
    expect(() => setPolicyDefaults(7 as never)).toThrow(
      /defaults must be \{ circuitBreaker\?, retry\? \} or undefined/,
    );
  });
});
