/** The breaker's registry name, shown in the live view and the report. */
export const QUOTES_BREAKER = 'quotes';
/** The bulkhead's name. */
export const QUOTES_BULKHEAD = 'quotes-pool';
/** The name under which retry, timeout and fallback events of `getQuote` are published. */
export const QUOTE_METHOD = 'ProtectedQuoteClient.getQuote';
/** The protected client's longest per-attempt timeout (shorter runs get shorter ones, see scale.ts). */
export const QUOTE_TIMEOUT_MS = 500;
/** The unprotected client's only defence: a generous timeout so it can never hang forever. */
export const PLAIN_TIMEOUT_MS = 5_000;
