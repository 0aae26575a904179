import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_TUNING,
  PHASE_NAMES,
  phaseAt,
  phaseWindows,
  scriptedResponse,
  type Phase,
  type PhaseName,
  type PhaseWindow,
  type ServiceTuning,
} from './incident.js';
import { seededRandom, streamSeed, type Random } from './random.js';

/** The request header that tells the service which client is calling, so it can count per client. */
export const CLIENT_HEADER = 'x-demo-client';

/** Requests received, per client id, per phase. */
export type CallCounts = Record<string, Record<PhaseName, number>>;

/** A running scripted service. */
export interface IncidentService {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The phases on the timeline. */
  readonly windows: readonly PhaseWindow[];
  /** (Re)starts the incident clock: the first phase plays from now. */
  beginIncident(): void;
  /** Milliseconds since the incident started. */
  elapsedMs(): number;
  /** The phase playing now. */
  currentPhase(): PhaseWindow;
  /** A copy of the per-client, per-phase request counts. */
  callCounts(): CallCounts;
  /** Stops the service: cancels pending slow answers and closes every connection. */
  close(): Promise<void>;
}

/** Options of {@link startIncidentService}. */
export interface IncidentServiceOptions {
  readonly phases: readonly Phase[];
  readonly seed: number;
  readonly tuning?: ServiceTuning;
  /** Monotonic clock in ms. @defaultValue `performance.now` */
  readonly now?: () => number;
}

function emptyCounts(): Record<PhaseName, number> {
  return Object.fromEntries(PHASE_NAMES.map((name) => [name, 0])) as Record<PhaseName, number>;
}

/**
 * Starts the scripted HTTP service on 127.0.0.1 with a random free port. The incident clock starts
 * when the promise resolves, or at {@link IncidentService.beginIncident}. `GET /quote?item=N` answers a JSON quote, or 503, slowly or not,
 * as the current phase dictates.
 *
 * @param options - the incident to play and its seed.
 * @example
 * ```ts
 * const service = await startIncidentService({ phases: incidentOfDuration(20_000), seed: 42 });
 * try { await fetch(`${service.url}/quote?item=1`); } finally { await service.close(); }
 * ```
 */
export async function startIncidentService(options: IncidentServiceOptions): Promise<IncidentService> {
  const now = options.now ?? (() => performance.now());
  const tuning = options.tuning ?? DEFAULT_TUNING;
  const windows = phaseWindows(options.phases);
  const counts: CallCounts = {};
  const randoms = new Map<string, Random>();
  const pending = new Set<NodeJS.Timeout>();
  let startedAt = now();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://service');
    if (url.pathname !== '/quote') {
      // `/health` (uncounted) lets the demo warm up its HTTP stack before the incident starts.
      res.writeHead(url.pathname === '/health' ? 204 : 404).end();
      return;
    }
    const client = String(req.headers[CLIENT_HEADER] ?? 'anonymous');
    const phase = phaseAt(windows, now() - startedAt).name;
    (counts[client] ??= emptyCounts())[phase] += 1;
    let random = randoms.get(client);
    if (random === undefined) {
      random = seededRandom(streamSeed(options.seed, client));
      randoms.set(client, random);
    }
    const item = Number(url.searchParams.get('item') ?? 0);
    const answer = scriptedResponse(phase, random, tuning);
    const body =
      answer.status === 200
        ? { item, price: 100 + ((item * 37) % 50) + Math.round(random() * 100) / 100, phase }
        : { error: 'service unavailable', phase };
    const timer = setTimeout(() => {
      pending.delete(timer);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, answer.delayMs);
    pending.add(timer);
    // A client that gave up (timeout, abort) must not leave a timer behind.
    res.once('close', () => {
      clearTimeout(timer);
      pending.delete(timer);
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  startedAt = now();
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    windows,
    beginIncident: () => {
      startedAt = now();
    },
    elapsedMs: () => now() - startedAt,
    currentPhase: () => phaseAt(windows, now() - startedAt),
    callCounts: () => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, { ...v }])),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of pending) clearTimeout(timer);
        pending.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
