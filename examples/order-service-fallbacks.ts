/**
 * An order service that keeps taking orders while its payment provider is down.
 *
 * The provider works, then fails on every call, then recovers. The order service charges it
 * through a circuit breaker (3 consecutive failures open it, 10 s later a probe is let through,
 * 2 successful probes close it) and falls back to "payment pending" instead of failing the order.
 *
 * Run: TS_NODE_PROJECT=examples/tsconfig.json node -r ts-node/register/transpile-only examples/order-service-fallbacks.ts
 */
import {
  CircuitBreaker,
  Fallback,
  ManualClock,
  getCircuitBreaker,
  isCircuitOpenError,
  setClock,
  stateChanges$,
} from '../lib/index.js';

// A simulated clock, so that the 10-second reset timeout passes instantly and the output is the
// same on every run. In a real service, leave breakwater's default clock alone.
const clock = new ManualClock({ now: Date.UTC(2030, 0, 1, 9, 0, 0) });
setClock(clock);

interface Payment {
  readonly status: 'success';
  readonly amount: number;
  readonly txnId: string;
}

interface OrderResult {
  readonly orderId: string;
  readonly status: 'paid' | 'payment_pending';
  readonly payment?: Payment;
  readonly reason?: string;
}

/** The external payment provider, in process: it fails on every call while `down` is set. */
class PaymentProvider {
  down = false;
  calls = 0;

  async processPayment(amount: number): Promise<Payment> {
    this.calls += 1;
    await Promise.resolve(); // a real provider answers asynchronously
    if (this.down) throw new Error('Payment service temporarily unavailable');
    return { status: 'success', amount, txnId: `TXN${this.calls}` };
  }
}

class OrderService {
  constructor(private readonly payments: PaymentProvider) {}

  @Fallback('deferPayment')
  @CircuitBreaker({ name: 'payments', failureThreshold: 3, resetTimeout: 10_000, successThreshold: 2 })
  async placeOrder(orderId: string, amount: number): Promise<OrderResult> {
    const payment = await this.payments.processPayment(amount);
    return { orderId, status: 'paid', payment };
  }

  /** The fallback: accept the order now, charge later. Receives the error, then placeOrder's arguments. */
  async deferPayment(error: unknown, orderId: string, _amount: number): Promise<OrderResult> {
    const reason = isCircuitOpenError(error)
      ? `circuit open, provider not called (retry in ${Math.ceil(error.retryAfter / 1000)} s)`
      : error instanceof Error
        ? error.message
        : String(error);
    return { orderId, status: 'payment_pending', reason };
  }
}

const subscription = stateChanges$.subscribe(({ name, from, to, reason }) => {
  console.log(`  [state] ${name}: ${from} -> ${to} (${reason})`);
});

const provider = new PaymentProvider();
const orders = new OrderService(provider);
let orderNumber = 0;

async function placeOrders(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    orderNumber += 1;
    const result = await orders.placeOrder(`ORD${orderNumber}`, 100);
    const detail = result.payment !== undefined ? result.payment.txnId : result.reason;
    console.log(`Order ${result.orderId}: ${result.status} (${detail ?? ''})`);
  }
}

function printMetrics(): void {
  const snapshot = getCircuitBreaker('payments')?.snapshot();
  if (snapshot === undefined) return;
  const m = snapshot.metrics;
  console.log(
    `Metrics: state=${snapshot.state} total=${m.totalCalls} success=${m.successfulCalls} failed=${m.failedCalls} ` +
      `rejected=${m.rejectedCalls} transitions=${m.stateTransitions}`,
  );
}

async function main(): Promise<void> {
  console.log('=== The provider is healthy ===');
  await placeOrders(3);
  printMetrics();

  console.log('\n=== The provider goes down ===');
  provider.down = true;
  await placeOrders(5);
  printMetrics();

  console.log('\n=== 10 seconds later, the provider is back ===');
  clock.advance(10_000);
  provider.down = false;
  await placeOrders(3);

  const snapshot = getCircuitBreaker('payments')?.snapshot();
  console.log('\nFinal snapshot():');
  console.log(JSON.stringify(snapshot, null, 2));
  console.log(`The provider was called ${provider.calls} times for ${orderNumber} orders.`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => subscription.unsubscribe());
