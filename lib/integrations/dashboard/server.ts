import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardHandler } from './handler.js';
import { checkInteger, resolveDashboardOptions, type DashboardHandlerOptions } from './options.js';
import { hostHeaderIsLoopback, isLoopback } from './route.js';

/**
 * Options of {@link serveDashboard}: where to listen, what to do with other requests, and the
 * {@link DashboardHandlerOptions} of the handler it serves (its `path` too, default `''`: the page is `/`).
 *
 * @example
 * ```ts
 * await serveDashboard({ port: 9464, title: 'checkout-api', next: metricsHandler });
 * ```
 * @category Dashboard
 */
export interface ServeDashboardOptions extends DashboardHandlerOptions {
  /** The TCP port; 0 picks a free one (read it from `url`). @defaultValue 0 */
  readonly port?: number;
  /**
   * The address to listen on. Loopback by default: the dashboard shows the names of every breaker and
   * bulkhead, so exposing it is a decision to make on purpose.
   * @defaultValue `'127.0.0.1'`
   */
  readonly host?: string;
  /**
   * Answers the requests the dashboard does not (e.g. a `/metrics` endpoint on the same port). Without
   * it they get `404`.
   */
  readonly next?: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * A running standalone dashboard, from {@link serveDashboard}.
 *
 * @example
 * ```ts
 * const dashboard = await serveDashboard();
 * console.log(`dashboard: ${dashboard.url}`);
 * await dashboard.close();
 * ```
 * @category Dashboard
 */
export interface DashboardServer {
  /** The page's URL, e.g. `http://127.0.0.1:43117/`. */
  readonly url: string;
  /** Ends every event stream and connection and stops listening; resolves once the server is closed. */
  close(): Promise<void>;
}

/**
 * Serves the live dashboard on its own HTTP server: the page at `/`, the event stream at `/events`.
 * Bound to 127.0.0.1 on a free port unless told otherwise. While bound to a loopback address it answers
 * only requests whose `Host` header names a loopback address (`403` otherwise), so that no web page the
 * user visits can read it through a DNS name pointed at 127.0.0.1.
 *
 * @param options - port, host, the handler's options, and a handler for other requests.
 * @returns once listening: the URL and `close()`.
 * @throws PolicyConfigError (as a rejection) naming every invalid option; the listen error (e.g.
 * `EADDRINUSE`) when the port is taken.
 * @example
 * ```ts
 * import { serveDashboard } from 'breakwater/dashboard';
 *
 * const { url, close } = await serveDashboard({ port: 9090 });
 * console.log(`breakwater dashboard on ${url}`);
 * process.once('SIGTERM', () => void close());
 * ```
 * @category Dashboard
 */
export async function serveDashboard(options?: ServeDashboardOptions): Promise<DashboardServer> {
  const given: ServeDashboardOptions = options ?? {};
  const { port, host, next, ...handlerOptions } = given;
  resolveDashboardOptions(given, 'serveDashboard()', (fail) => {
    checkInteger(fail, 'port', port, 0, 65_535);
    if (host !== undefined && (typeof host !== 'string' || host.length === 0)) {
      fail('host', host, "a host name or address, e.g. '127.0.0.1' or '::'");
    }
    if (next !== undefined && typeof next !== 'function') fail('next', next, 'a function (req, res) => void');
  });
  const address = host ?? '127.0.0.1';
  const handler = dashboardHandler(handlerOptions);
  const loopbackOnly = isLoopback(address);
  const server = createServer((req, res) => {
    if (loopbackOnly && !hostHeaderIsLoopback(req.headers.host)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('This dashboard answers only requests addressed to a loopback host.\n');
      return;
    }
    handler(req, res, () => {
      if (next) next(req, res);
      else {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not found\n');
      }
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port ?? 0, address, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    handler.close();
    throw error;
  }
  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${bound.port}/`,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        handler.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets (and any stream that did not end) would hold close() for seconds.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
