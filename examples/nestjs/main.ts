/**
 * An orders API in NestJS whose payments client is protected by breakwater, driven through real HTTP
 * requests on loopback: normal orders, a payments outage that opens the circuit (orders are taken
 * with their payment queued, and the provider is no longer called), the health endpoint going down
 * and up again, and recovery.
 *
 * Run: npm run example:nestjs
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateChanges$ } from 'breakwater';
import { AppModule } from './app.module.js';
import { startPaymentsServer } from './payments-server.js';

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`unexpected: ${what}`);
}

async function main(): Promise<void> {
  const payments = await startPaymentsServer();
  const app = await NestFactory.create(AppModule.forPayments(payments.url), { logger: ['error'] });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const api = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const subscription = stateChanges$.subscribe((c) =>
    console.log(`[state] ${c.name}: ${c.from} -> ${c.to} (${c.reason})`),
  );

  const order = async (amount: number): Promise<{ id: string; payment: Record<string, string> }> => {
    const response = await fetch(`${api}/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount }),
    });
    expect(response.status === 201, `POST /orders answered ${String(response.status)}`);
    const body = (await response.json()) as { id: string; payment: Record<string, string> };
    const { status, transaction, reason } = body.payment;
    console.log(`Order ${body.id}: ${String(status)} (${String(transaction ?? reason)})`);
    return body;
  };
  const health = async (): Promise<number> => {
    const response = await fetch(`${api}/health`);
    const body = (await response.json()) as { status: string; details: { breakers: { status: string } } };
    console.log(`GET /health: ${String(response.status)} ${body.status}, breakers ${body.details.breakers.status}`);
    return response.status;
  };

  try {
    console.log('-- payments up');
    for (const amount of [10, 20, 30]) expect((await order(amount)).payment['status'] === 'paid', 'paid');
    expect((await health()) === 200, 'healthy while payments work');

    console.log('-- payments down');
    payments.setDown(true);
    const before = payments.requests;
    for (const amount of [40, 50, 60]) {
      const { payment } = await order(amount);
      expect(payment['reason'] === 'payments answered 503', 'the provider’s failure, then a queued payment');
    }
    expect(payments.requests - before === 6, 'two attempts per order while closed');
    const { payment } = await order(70);
    expect(payment['reason'] === 'circuit open', 'the open circuit answers at once');
    expect(payments.requests - before === 6, 'no call to the provider while open');
    console.log(`The provider got ${String(payments.requests - before)} requests for 4 orders during the outage.`);
    expect((await health()) === 503, 'health down while the critical breaker is open');
    const metrics = await (await fetch(`${api}/metrics`)).text();
    const open = metrics.includes('breakwater_circuitbreaker_state{name="payments",state="open"} 1');
    console.log(`GET /metrics: payments open = ${String(open)}`);
    expect(open, 'the metrics show the open circuit');

    console.log('-- payments back');
    payments.setDown(false);
    await sleep(350); // the breaker's resetTimeout (300 ms): the next call is a probe
    expect((await order(80)).payment['status'] === 'paid', 'the probe succeeds and closes the circuit');
    expect((await health()) === 200, 'healthy again');
    console.log(`Payments charged: ${String(payments.charges)}.`);
  } finally {
    subscription.unsubscribe();
    await app.close();
    await payments.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
