// Server-Sent Events framing (WHATWG HTML, "server-sent events"): a message is a block of `field: value`
// lines ended by an empty line. A line break inside a value would end the field early, so a value is
// split at every line break (CRLF, CR or LF) into several `data:` lines, which the browser joins with
// LF again. JSON.stringify never emits a raw line break, but the framing does not rely on it.

const LINE_BREAK = /\r\n|\r|\n/;

/** The response headers of an event stream. @internal */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // Intermediaries must neither cache nor buffer a live stream.
  'Cache-Control': 'no-store',
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * One event: its id (what `Last-Event-ID` would carry back), its type, and its data.
 *
 * @param id - a non-negative integer, increasing over the stream.
 * @param event - the event type the page listens for; a single word.
 * @param data - the payload, usually JSON.
 * @param retry - if given, the reconnection delay (ms) the browser should use from now on.
 * @internal
 */
export function sseMessage(id: number, event: string, data: string, retry?: number): string {
  if (!/^\w+$/.test(event))
    throw new RangeError(`sseMessage: event must be a single word, got ${JSON.stringify(event)}`);
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`sseMessage: id must be an integer ≥ 0, got ${id}`);
  const head = retry === undefined ? '' : `retry: ${Math.max(0, Math.floor(retry))}\n`;
  const lines = data.split(LINE_BREAK).map((line) => `data: ${line}\n`);
  return `${head}id: ${id}\nevent: ${event}\n${lines.join('')}\n`;
}

/**
 * A comment line: ignored by the browser, it keeps idle connections from being closed by proxies.
 *
 * @param text - what the comment says (line breaks become spaces).
 * @internal
 */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
