import { Registry } from 'prom-client';
import { serveDashboard, type DashboardServer } from '../../lib/integrations/dashboard/index.js';
import { registerPrometheusMetrics, type PrometheusMetricsHandle } from '../../lib/integrations/prometheus/index.js';

let running: { server: DashboardServer; metrics: PrometheusMetricsHandle } | undefined;

/**
 * Starts breakwater's live dashboard on 127.0.0.1 (a free port) and prints its URL. The same port
 * serves the Prometheus text format at `/metrics`, from a registry of its own (what a scrape of the
 * demo's service would read).
 *
 * @param out - where people read.
 * @example
 * ```ts
 * await startDemoDashboard(process.stdout);
 * ```
 */
export async function startDemoDashboard(out: NodeJS.WritableStream): Promise<void> {
  const registry = new Registry();
  const metrics = registerPrometheusMetrics({ registry });
  try {
    const server = await serveDashboard({
      title: 'breakwater demo',
      next: (req, res) => {
        if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
          return;
        }
        registry.metrics().then(
          (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      },
    });
    running = { server, metrics };
  } catch (error) {
    metrics.unregister();
    throw error;
  }
  out.write(`Dashboard: ${running.server.url}  (open it in a browser to watch the incident live; `);
  out.write(`Prometheus metrics at ${running.server.url}metrics)\n\n`);
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
    out.write(`\nThe dashboard stays up at ${running.server.url} — press Ctrl-C to stop.\n`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  await closeDemoDashboard();
}

/** Closes the dashboard if it is running (also when the demo failed), so the process can exit. */
export async function closeDemoDashboard(): Promise<void> {
  const current = running;
  running = undefined;
  if (current === undefined) return;
  try {
    await current.server.close();
  } finally {
    current.metrics.unregister();
  }
}
