/** The breaker's registry name, shown in the live view and the report. */
export const QUOTES_BREAKER = 'quotes';
/** The bulkhead's name. */
export const QUOTES_BULKHEAD = 'quotes-pool';
/** The bulkhead's size. */
export const BULKHEAD_LIMITS = { maxConcurrent: 8, maxQueue: 8 } as const;
/** The name under which retry, timeout and fallback events of `getQuote` are published. */
export const QUOTE_METHOD = 'ProtectedQuoteClient.getQuote';
/** Per-attempt timeout of the protected client; the slow phase must take longer than this. */
export const QUOTE_TIMEOUT_MS = 500;
/** The unprotected client's only defence: a generous timeout so it can never hang forever. */
export const PLAIN_TIMEOUT_MS = 5_000;
