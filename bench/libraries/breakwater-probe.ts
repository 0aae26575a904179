import { CircuitBreaker, Timeout } from '../../lib/index.js';

// Scenario 10: one call through a breakwater decorator, to see what it leaves behind in the process.

class Probe {
  @CircuitBreaker({ name: 'bench.probe.breaker' })
  breakerOnly(): Promise<number> {
    return Promise.resolve(1);
  }

  @Timeout(1_000)
  withTimeout(): Promise<number> {
    return Promise.resolve(1);
  }
}

/** `breaker`: a call with no signal; `timeout`: a call under @Timeout (which carries a signal). */
export async function touch(variant: string): Promise<void> {
  const probe = new Probe();
  if (variant === 'breaker') await probe.breakerOnly();
  else if (variant === 'timeout') await probe.withTimeout();
  else throw new Error(`unknown await-cost variant "${variant}"`);
}
