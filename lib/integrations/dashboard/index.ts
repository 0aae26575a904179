/**
 * `breakwater/dashboard` — a live, read-only dashboard of every circuit breaker and bulkhead in the
 * process: one static page (inline style and script, nothing fetched from elsewhere) fed by a
 * Server-Sent Events stream. Mount {@link dashboardHandler} in an existing server, or start
 * {@link serveDashboard} on its own port. Needs nothing but `node:http`.
 *
 * @example
 * ```ts
 * import { serveDashboard } from 'breakwater/dashboard';
 * const { url } = await serveDashboard({ port: 9090 });
 * ```
 *
 * @packageDocumentation
 */
export { dashboardHandler, type DashboardHandler } from './handler.js';
export type { DashboardHandlerOptions } from './options.js';
export { serveDashboard, type ServeDashboardOptions, type DashboardServer } from './server.js';
