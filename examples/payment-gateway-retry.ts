/**
 * A payment-gateway client with the retry INSIDE the circuit breaker (breakwater's default order):
 * transient failures are retried, a declined card is not, and when the gateway is down each
 * charge — with all its retries — counts once against the breaker, which then fails fast.
 *
 * Run: node -r ts-node/register/transpile-only examples/payment-gateway-retry.ts
 */
import assert from 'node:assert/strict';
import { CircuitBreaker, Retry, Timeout, events$, getCircuitBreaker, isCircuitOpenError } from '../lib/index.js';

class GatewayUnavailableError extends Error {}
class CardDeclinedError extends Error {}

interface Receipt {
  readonly id: string;
  readonly amount: number;
}

/** An in-process stand-in for the payment provider. */
class FakeGateway {
  mode: 'up' | 'down' | 'flaky' = 'up';
  requests = 0;
  private flakyFailures = 0;
  private readonly charged = new Map<string, Receipt>();

  async charge(amount: number, idempotencyKey: string): Promise<Receipt> {
    this.requests++;
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (this.mode === 'down') throw new GatewayUnavailableError('503 from gateway');
    if (this.mode === 'flaky' && this.flakyFailures++ % 2 === 0) throw new GatewayUnavailableError('502 from gateway');
    if (amount > 1_000) throw new CardDeclinedError('card declined: limit exceeded');
    // The idempotency key makes a retried charge safe: the same key never charges twice.
    const receipt = this.charged.get(idempotencyKey) ?? { id: `rcpt-${this.charged.size + 1}`, amount };
    this.charged.set(idempotencyKey, receipt);
    return receipt;
  }
}

class PaymentClient {
  constructor(private readonly gateway: FakeGateway) {}

  // A declined card is the customer's problem, not the gateway's: it must not open the circuit.
  @CircuitBreaker({
    name: 'payment-gateway',
    failureThreshold: 3,
    resetTimeout: 300,
    failurePredicate: (e) => !(e instanceof CardDeclinedError),
  })
  @Retry({ maxAttempts: 3, delay: 20, backoff: 'exponential', jitter: 'full', retryOn: [GatewayUnavailableError] })
  @Timeout(1_000)
  async charge(amount: number, idempotencyKey: string): Promise<Receipt> {
    return this.gateway.charge(amount, idempotencyKey);
  }
}

async function main(): Promise<void> {
  const log: string[] = [];
  const subscription = events$.subscribe((e) => {
    if (e.type === 'retry')
      log.push(`  retry #${e.attempt} of ${e.name} in ${Math.round(e.delay)} ms after: ${(e.error as Error).message}`);
    if (e.type === 'state_change') log.push(`  circuit ${e.name}: ${e.from} → ${e.to}`);
  });
  const flush = () => log.splice(0).forEach((line) => console.log(line));
  const gateway = new FakeGateway();
  const payments = new PaymentClient(gateway);
  const breaker = getCircuitBreaker('payment-gateway');

  gateway.mode = 'flaky';
  const receipt = await payments.charge(25, 'order-1');
  console.log('flaky gateway: charged', receipt, 'after', gateway.requests, 'requests');
  flush();

  gateway.mode = 'up';
  const before = gateway.requests;
  await assert.rejects(payments.charge(5_000, 'order-2'), CardDeclinedError);
  assert.equal(gateway.requests - before, 1);
  console.log('declined card: not retried (1 request)');

  gateway.mode = 'down';
  for (let i = 3; i <= 5; i++) {
    const start = gateway.requests;
    await assert.rejects(payments.charge(10, `order-${i}`), GatewayUnavailableError);
    flush();
    console.log(
      `gateway down: order-${i} failed after ${gateway.requests - start} attempts; breaker failures = ${breaker!.snapshot().metrics.failedCalls}`,
    );
  }

  const start = gateway.requests;
  const rejection = await payments.charge(10, 'order-6').catch((e: unknown) => e);
  assert.ok(isCircuitOpenError(rejection));
  assert.equal(gateway.requests, start);
  console.log(
    `circuit open: order-6 rejected at once, retry after ${Math.ceil(rejection.retryAfter)} ms, no request sent`,
  );

  gateway.mode = 'up';
  await new Promise((resolve) => setTimeout(resolve, 350));
  await payments.charge(10, 'order-6');
  await payments.charge(12, 'order-7');
  flush();
  assert.equal(breaker!.state, 'closed');
  console.log('gateway back: circuit', breaker!.state);
  subscription.unsubscribe();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
