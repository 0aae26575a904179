import { Inject, Injectable } from '@nestjs/common';
import { CircuitBreaker, Fallback, Retry, Timeout, currentSignal, isCircuitOpenError } from 'breakwater';

/** Where the payments service is (a provider, so a test module can point it elsewhere). */
export const PAYMENTS_URL = Symbol('PAYMENTS_URL');

/** What charging an order gives. */
export type Payment =
  | { readonly status: 'paid'; readonly transaction: string }
  | { readonly status: 'payment_pending'; readonly reason: string };

/**
 * The orders API's client for the payments service: breakwater's decorators on a Nest provider's
 * method, as on any class. Outside in: a fallback that queues the payment, a breaker that stops
 * calling a payments service that keeps failing, two attempts, and a timeout per attempt.
 */
@Injectable()
export class PaymentsClient {
  constructor(@Inject(PAYMENTS_URL) private readonly url: string) {}

  @Fallback('queue')
  @CircuitBreaker({ name: 'payments', failureThreshold: 3, resetTimeout: 300, successThreshold: 1 })
  @Retry({ maxAttempts: 2, delay: 20, jitter: 'none' })
  @Timeout(1_000)
  async charge(orderId: string, amount: number): Promise<Payment> {
    const response = await fetch(`${this.url}/charges`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ orderId, amount }),
      signal: currentSignal(), // the timeout's: a slow attempt is cancelled, not left running
    });
    if (!response.ok) throw new Error(`payments answered ${String(response.status)}`);
    const { id } = (await response.json()) as { id: string };
    return { status: 'paid', transaction: id };
  }

  /** The fallback: the order is taken, its payment queued for later. */
  queue(error: unknown): Payment {
    return {
      status: 'payment_pending',
      reason: isCircuitOpenError(error) ? 'circuit open' : error instanceof Error ? error.message : String(error),
    };
  }
}
