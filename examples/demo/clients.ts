import { Bulkhead, CircuitBreaker, currentSignal, Fallback, Retry, staleResult, Timeout } from '../../lib/index.js';
import { CLIENT_HEADER } from './service.js';
import { BULKHEAD_LIMITS, PLAIN_TIMEOUT_MS, QUOTE_TIMEOUT_MS, QUOTES_BREAKER, QUOTES_BULKHEAD } from './settings.js';

/** A price quote as the service sends it. */
export interface Quote {
  readonly item: number;
  readonly price: number;
}

/** The service answered with an error status. */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  /**
   * @param status - the HTTP status received.
   */
  constructor(readonly status: number) {
    super(`quote service answered HTTP ${status}`);
  }
}

async function fetchQuote(
  baseUrl: string,
  item: number,
  client: string,
  signal: AbortSignal | undefined,
): Promise<Quote> {
  const response = await fetch(`${baseUrl}/quote?item=${item}`, { signal, headers: { [CLIENT_HEADER]: client } });
  if (!response.ok) {
    // Read the body anyway so the connection goes back to the pool.
    await response.arrayBuffer();
    throw new ServiceUnavailableError(response.status);
  }
  return (await response.json()) as Quote;
}

/**
 * The quote client as breakwater users write it: five decorators, no resilience code in the body.
 * Read bottom-up the call goes: bulkhead (8 at a time, 8 waiting) → 500 ms timeout per attempt →
 * one retry on 503 → the `quotes` breaker → the last good quote for that item when all else fails.
 */
export class ProtectedQuoteClient {
  /**
   * @param baseUrl - the service's base URL.
   */
  constructor(private readonly baseUrl: string) {}

  /**
   * A fresh quote, or the last good one for the same item while the service is unwell.
   *
   * @param item - the catalogue item.
   * @throws the call's error (503, TimeoutError, CircuitOpenError, BulkheadFullError) when it failed
   * and no earlier quote exists for `item`.
   */
  // staleResult() remembers each success per item (for this object) and serves it when a call fails.
  @Fallback(staleResult({ ttl: 60_000 }))
  @CircuitBreaker({
    name: QUOTES_BREAKER,
    failureRateThreshold: 0.5,
    slidingWindow: { type: 'count', size: 20 },
    minimumCalls: 10,
    // Probe again after 0.5 s, then 1 s, then 2 s while the outage lasts.
    resetTimeout: (consecutiveOpens: number) => Math.min(500 * 2 ** (consecutiveOpens - 1), 2_000),
    successThreshold: 2,
  })
  @Retry({ maxAttempts: 2, delay: 50, backoff: 'exponential', jitter: 'full', retryOn: [ServiceUnavailableError] })
  @Timeout(QUOTE_TIMEOUT_MS)
  @Bulkhead({ name: QUOTES_BULKHEAD, ...BULKHEAD_LIMITS })
  async getQuote(item: number): Promise<Quote> {
    // The call's signal aborts when the timeout fires, so a slow request is really cancelled.
    return fetchQuote(this.baseUrl, item, 'protected', currentSignal());
  }
}

/** The same client without breakwater: plain fetch and a generous timeout, nothing else. */
export class UnprotectedQuoteClient {
  /**
   * @param baseUrl - the service's base URL.
   * @param timeoutMs - when to give up on one request. @defaultValue {@link PLAIN_TIMEOUT_MS}
   */
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = PLAIN_TIMEOUT_MS,
  ) {}

  /**
   * A fresh quote, or an error.
   *
   * @param item - the catalogue item.
   * @throws ServiceUnavailableError on a 503; the abort reason after `timeoutMs`.
   */
  async getQuote(item: number): Promise<Quote> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`gave up after ${this.timeoutMs} ms`)), this.timeoutMs);
    try {
      return await fetchQuote(this.baseUrl, item, 'unprotected', controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }
}
