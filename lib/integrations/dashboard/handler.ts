import type { IncomingMessage, ServerResponse } from 'node:http';
import { DashboardHub, type SseSink } from './hub.js';
import { resolveDashboardOptions, type DashboardHandlerOptions } from './options.js';
import { PAGE_HEADERS, renderPage } from './page.js';
import { routeRequest } from './route.js';
import { SSE_HEADERS } from './sse.js';

/**
 * A `node:http` request handler that is also Connect-style middleware (Express, Nest, Fastify's middie):
 * it answers the dashboard's URLs and passes every other request to `next` (or answers 404 without one).
 *
 * @example
 * ```ts
 * const dashboard = dashboardHandler();
 * app.use('/breakwater', dashboard);          // Express or Nest
 * process.on('SIGTERM', () => dashboard.close());
 * ```
 * @category Dashboard
 */
export interface DashboardHandler {
  /**
   * Answers a request.
   *
   * @param req - the request.
   * @param res - its response.
   * @param next - called for requests that are not the dashboard's.
   */
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Event-stream clients connected now. */
  readonly clients: number;
  /** Ends every event stream and stops listening to breakwater's events; later stream requests get `503`. */
  close(): void;
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function serveEvents(hub: DashboardHub, req: IncomingMessage, res: ServerResponse): void {
  const refused = hub.refusal();
  if (refused !== undefined) {
    const why = refused === 'full' ? 'Too many dashboard clients; try again later.' : 'The dashboard is closed.';
    plain(res, 503, `${why}\n`, { 'Retry-After': '5' });
    return;
  }
  res.writeHead(200, SSE_HEADERS);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const sink: SseSink = {
    write: (chunk) => res.write(chunk),
    get writableLength() {
      return res.writableLength;
    },
    end: () => res.end(),
    destroy: () => res.destroy(),
  };
  const leave = (): void => hub.disconnect(sink);
  res.once('close', leave);
  // A socket error ends the stream like a close; the listener also keeps it from being unhandled.
  res.on('error', leave);
  hub.connect(sink);
}

/**
 * The live dashboard as a request handler: `GET /` (and `GET` of the mount path without its trailing
 * slash) answers the page, `GET /events` the Server-Sent Events stream, relative to where it is mounted —
 * so it works at any prefix. Read-only: any other method on those URLs gets `405`.
 *
 * The stream starts with a snapshot of every breaker and bulkhead and the latest state changes, then
 * sends what happened every `batchInterval` ms (numbered events, a `retry:` hint, a comment every
 * `keepAliveInterval` ms). A page that reconnects gets a fresh snapshot; `Last-Event-ID` is not replayed.
 * At most `maxClients` streams are served at once (more get `503`), and a client that reads too slowly is
 * disconnected once `maxBufferedBytes` wait for it. While no stream is open the handler subscribes only
 * to `stateChanges$` (for the timeline) and runs no timer; its timers never keep the process alive.
 *
 * @param options - mount prefix, title, limits and intervals; see {@link DashboardHandlerOptions}.
 * @returns the handler, with `close()` and the number of connected `clients`.
 * @throws PolicyConfigError naming every invalid option.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { dashboardHandler } from 'breakwater/dashboard';
 *
 * const dashboard = dashboardHandler({ path: '/breakwater' });
 * createServer((req, res) => dashboard(req, res, () => app(req, res))).listen(8080, '127.0.0.1');
 * // http://127.0.0.1:8080/breakwater/
 * ```
 * @category Dashboard
 */
export function dashboardHandler(options?: DashboardHandlerOptions): DashboardHandler {
  const resolved = resolveDashboardOptions(options, 'dashboardHandler()');
  const page = Buffer.from(renderPage(resolved.title), 'utf8');
  const pageHeaders = { ...PAGE_HEADERS, 'Content-Length': String(page.length) };
  const hub = new DashboardHub(resolved);

  const handle = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    const route = routeRequest(req.method, req.url, resolved.path);
    switch (route.kind) {
      case 'pass':
        if (next) next();
        else plain(res, 404, 'Not found\n');
        return;
      case 'method_not_allowed':
        plain(res, 405, 'The dashboard is read-only: GET or HEAD.\n', { Allow: 'GET, HEAD' });
        return;
      case 'page':
        res.writeHead(200, pageHeaders);
        res.end(req.method === 'HEAD' ? undefined : page);
        return;
      case 'events':
        serveEvents(hub, req, res);
        return;
    }
  };
  return Object.defineProperties(handle, {
    clients: { get: () => hub.size, enumerable: true },
    close: { value: () => hub.close(), enumerable: true },
  }) as DashboardHandler;
}
