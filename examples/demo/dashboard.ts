import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveDashboard, type DashboardServer } from '../../lib/integrations/dashboard/index.js';

/**
 * Another endpoint on the dashboard's port: answers the request and returns true, or returns false to
 * let the next route (finally a 404) have it. The demo's `/metrics` endpoint goes here.
 */
export type DemoRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

let running: DashboardServer | undefined;

/**
 * Starts breakwater's live dashboard on 127.0.0.1 (a free port) and prints its URL.
 *
 * @param out - where people read.
 * @param routes - other endpoints served on the same port, tried in order.
 * @example
 * ```ts
 * await startDemoDashboard(process.stdout);
 * ```
 */
export async function startDemoDashboard(out: NodeJS.WritableStream, routes: readonly DemoRoute[] = []): Promise<void> {
  running = await serveDashboard({
    title: 'breakwater demo',
    next: (req, res) => {
      if (routes.some((route) => route(req, res))) return;
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    },
  });
  out.write(`Dashboard: ${running.url}  (open it in a browser to watch the incident live)\n\n`);
}

/**
 * After the run: with `serve`, keeps the dashboard up until Ctrl-C; then (or at once) closes it.
 *
 * @param serve - whether to wait for Ctrl-C first.
 * @param out - where people read.
 */
export async function finishDemoDashboard(serve: boolean, out: NodeJS.WritableStream): Promise<void> {
  if (running === undefined) return;
  if (serve) {
    out.write(`\nThe dashboard stays up at ${running.url} — press Ctrl-C to stop.\n`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  await closeDemoDashboard();
}

/** Closes the dashboard if it is running (also when the demo failed), so the process can exit. */
export async function closeDemoDashboard(): Promise<void> {
  const server = running;
  running = undefined;
  await server?.close();
}
