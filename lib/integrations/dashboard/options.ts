import { PolicyConfigError, type ConfigIssue } from '../../index.js';

/** Node turns a timer above this into 1 ms; no interval may exceed it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Options of {@link dashboardHandler} (and of {@link serveDashboard}, which passes them on).
 *
 * @example
 * ```ts
 * const dashboard = dashboardHandler({ path: '/breakwater', title: 'checkout-api', maxClients: 8 });
 * ```
 * @category Dashboard
 */
export interface DashboardHandlerOptions {
  /**
   * A path prefix the handler strips itself, for a plain `node:http` server that passes every request:
   * with `'/breakwater'` the page is `/breakwater/` (and `/breakwater`) and the stream
   * `/breakwater/events`. Leave it out where the framework strips the mount path already
   * (`app.use('/breakwater', dashboardHandler())` in Express, Nest or Fastify's middie): the handler then
   * answers `/` and `/events` of the URL it receives. Starts with `/`, does not end with one.
   * @defaultValue `''`
   */
  readonly path?: string;
  /** Shown as the page's heading and title (HTML-escaped). @defaultValue `'breakwater'` */
  readonly title?: string;
  /** Event-stream clients served at once; one more is answered `503`. @defaultValue 32 */
  readonly maxClients?: number;
  /**
   * Bytes that may wait, unsent, for one client. A client that reads so slowly that more than this is
   * waiting when its next message is due is disconnected: a stalled browser cannot make the server hold
   * more than this plus one message for it.
   * @defaultValue 1 MiB
   */
  readonly maxBufferedBytes?: number;
  /** How often events are sent, batched, in ms. @defaultValue 250 */
  readonly batchInterval?: number;
  /** How often an idle stream gets a comment line, so proxies do not close it, in ms. @defaultValue 15_000 */
  readonly keepAliveInterval?: number;
  /** The reconnection delay the stream asks browsers to use (`retry:`), in ms. @defaultValue 2_000 */
  readonly reconnectDelay?: number;
  /** State changes kept for the timeline a newly connected page starts with. @defaultValue 100 */
  readonly timelineSize?: number;
}

/** The options with every default applied. @internal */
export interface ResolvedDashboardOptions {
  readonly path: string;
  readonly title: string;
  readonly maxClients: number;
  readonly maxBufferedBytes: number;
  readonly batchInterval: number;
  readonly keepAliveInterval: number;
  readonly reconnectDelay: number;
  readonly timelineSize: number;
}

/** @internal */
export const DASHBOARD_DEFAULTS: ResolvedDashboardOptions = {
  path: '',
  title: 'breakwater',
  maxClients: 32,
  maxBufferedBytes: 1024 * 1024,
  batchInterval: 250,
  keepAliveInterval: 15_000,
  reconnectDelay: 2_000,
  timelineSize: 100,
};

/** Collects what is wrong with one option. @internal */
export type IssueSink = (field: string, value: unknown, expected: string) => void;

/** Checks an integer option in [min, max]; `undefined` passes (the default applies). @internal */
export function checkInteger(fail: IssueSink, field: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(field, value, `an integer from ${min} to ${max}`);
  }
}

function checkOptions(o: DashboardHandlerOptions, fail: IssueSink): void {
  const { path, title } = o;
  if (path !== undefined && (typeof path !== 'string' || !/^(\/[^/?#\s]+)*$/.test(path))) {
    fail('path', path, "'' or a path like '/breakwater' (starts with '/', no trailing '/', no '?', '#' or spaces)");
  }
  if (title !== undefined && (typeof title !== 'string' || title.length === 0 || title.length > 200)) {
    fail('title', title, 'a string of 1 to 200 characters');
  }
  checkInteger(fail, 'maxClients', o.maxClients, 1, 10_000);
  checkInteger(fail, 'maxBufferedBytes', o.maxBufferedBytes, 1, 2 ** 30);
  checkInteger(fail, 'batchInterval', o.batchInterval, 1, 60_000);
  checkInteger(fail, 'keepAliveInterval', o.keepAliveInterval, 1, MAX_TIMER_MS);
  checkInteger(fail, 'reconnectDelay', o.reconnectDelay, 0, MAX_TIMER_MS);
  checkInteger(fail, 'timelineSize', o.timelineSize, 0, 10_000);
}

/**
 * Validates the options and applies the defaults.
 *
 * @param options - what the caller passed.
 * @param where - the function being configured, for the error message.
 * @param more - checks of further options (e.g. `serveDashboard`'s `port` and `host`), reported together.
 * @throws PolicyConfigError naming every bad field, its value and what is allowed.
 * @internal
 */
export function resolveDashboardOptions(
  options: DashboardHandlerOptions | undefined,
  where: string,
  more?: (fail: IssueSink) => void,
): ResolvedDashboardOptions {
  const given: DashboardHandlerOptions = options ?? {};
  const issues: ConfigIssue[] = [];
  const fail: IssueSink = (field, value, expected) => issues.push({ field, value, expected });
  if (typeof given !== 'object' || given === null) {
    fail('options', given, 'an object or undefined');
  } else {
    checkOptions(given, fail);
    more?.(fail);
  }
  if (issues.length > 0) throw new PolicyConfigError(where, issues);
  const pick = <K extends keyof ResolvedDashboardOptions>(key: K): ResolvedDashboardOptions[K] =>
    (given[key] as ResolvedDashboardOptions[K] | undefined) ?? DASHBOARD_DEFAULTS[key];
  return {
    path: pick('path'),
    title: pick('title'),
    maxClients: pick('maxClients'),
    maxBufferedBytes: pick('maxBufferedBytes'),
    batchInterval: pick('batchInterval'),
    keepAliveInterval: pick('keepAliveInterval'),
    reconnectDelay: pick('reconnectDelay'),
    timelineSize: pick('timelineSize'),
  };
}
