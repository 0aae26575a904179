import { Bulkhead, CircuitBreaker, currentSignal, Fallback, Retry, staleResult, Timeout } from '../../lib/index.js';
import { CLIENT_HEADER } from './service.js';
import type { DemoSettings } from './scale.js';
import { PLAIN_TIMEOUT_MS, QUOTES_BREAKER, QUOTES_BULKHEAD } from './settings.js';

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

/** A quote client: the protected one, or the plain one. */
export interface QuoteClient {
  getQuote(item: number): Promise<Quote>;
}

/**
 * The quote client as breakwater users write it: five decorators, no resilience code in the body.
 * Read bottom-up the call goes: bulkhead → per-attempt timeout → one retry on 503 → the `quotes`
 * breaker → the last good quote for that item when all else fails. The limits come from the run's
 * {@link DemoSettings} (at the default size: 8 at a time and 8 waiting, 500 ms, probes after 0.5 s,
 * 1 s, then 2 s), so the class is defined per run; a process runs the demo once.
 *
 * @param settings - the run's limits, from `demoSettings()`.
 * @returns the class; `new` it with the service's base URL.
 * @example
 * ```ts
 * const ProtectedQuoteClient = protectedQuoteClient(demoSettings(phases, 10));
 * await new ProtectedQuoteClient(service.url).getQuote(3);
 * ```
 */
export function protectedQuoteClient(settings: DemoSettings): new (baseUrl: string) => QuoteClient {
  const { resetBaseMs, resetCapMs } = settings;
  class ProtectedQuoteClient implements QuoteClient {
    constructor(private readonly baseUrl: string) {}

    // staleResult() remembers each success per item (for this object) and serves it when a call fails.
    @Fallback(staleResult({ ttl: settings.staleTtlMs }))
    @CircuitBreaker({
      name: QUOTES_BREAKER,
      failureRateThreshold: 0.5,
      slidingWindow: { type: 'count', size: settings.windowSize },
      minimumCalls: settings.minimumCalls,
      // Probe again after the base, then twice as long each time, while the outage lasts.
      resetTimeout: (consecutiveOpens: number) => Math.min(resetBaseMs * 2 ** (consecutiveOpens - 1), resetCapMs),
      successThreshold: 2,
    })
    @Retry({ maxAttempts: 2, delay: 50, backoff: 'exponential', jitter: 'full', retryOn: [ServiceUnavailableError] })
    @Timeout(settings.timeoutMs)
    @Bulkhead({ name: QUOTES_BULKHEAD, ...settings.bulkhead })
    async getQuote(item: number): Promise<Quote> {
      // The call's signal aborts when the timeout fires, so a slow request is really cancelled.
      return fetchQuote(this.baseUrl, item, 'protected', currentSignal());
    }
  }
  return ProtectedQuoteClient;
}

/** The same client without breakwater: plain fetch and a generous timeout, nothing else. */
export class UnprotectedQuoteClient implements QuoteClient {
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
