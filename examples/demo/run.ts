import { getBulkhead, getCircuitBreaker, type CircuitState } from '../../lib/index.js';
import type { DemoOptions } from './cli.js';
import { protectedQuoteClient, UnprotectedQuoteClient, type Quote } from './clients.js';
import { QUOTE_METHOD, QUOTES_BREAKER, QUOTES_BULKHEAD } from './settings.js';
import { phaseStory } from './live-render.js';
import type { PhaseWindow } from './incident.js';
import { runLoad, type CallRecord } from './load.js';
import { LiveView, type LoggedStateChange } from './live-view.js';
import { startIncidentService } from './service.js';
import { summarize, type ClientSummary } from './stats.js';

/** Where the live view draws. */
export interface ViewTarget {
  readonly out: NodeJS.WritableStream;
  readonly tty: boolean;
  readonly color: boolean;
}

/** Everything a run produced. */
export interface DemoResult {
  readonly windows: readonly PhaseWindow[];
  readonly records: { readonly protected: CallRecord[]; readonly unprotected: CallRecord[] };
  readonly summaries: { readonly protected: ClientSummary; readonly unprotected: ClientSummary };
  readonly stateLog: readonly LoggedStateChange[];
  readonly finalState: CircuitState | undefined;
}

// staleResult() hands back the very object an earlier call returned, while every fresh answer is a
// newly parsed object: a quote seen before is a stale one.
const delivered = new WeakSet<Quote>();
async function tagStale(answer: Promise<Quote>): Promise<{ stale: boolean }> {
  const quote = await answer;
  const stale = delivered.has(quote);
  delivered.add(quote);
  return { stale };
}

const POLICY_NAMES = new Set([QUOTES_BREAKER, QUOTES_BULKHEAD, QUOTE_METHOD]);

/**
 * Starts the service, runs both clients' users side by side under the live view, and closes
 * everything it opened, whatever happens.
 *
 * @param options - parsed command line.
 * @param target - where the live view draws.
 * @param stop - aborting it ends the run early.
 * @example
 * ```ts
 * const result = await runDemo(options, { out: process.stdout, tty: false, color: false }, new AbortController().signal);
 * ```
 */
export async function runDemo(options: DemoOptions, target: ViewTarget, stop: AbortSignal): Promise<DemoResult> {
  const { settings } = options;
  const service = await startIncidentService({ phases: options.phases, seed: options.seed, tuning: settings.tuning });
  try {
    const ProtectedQuoteClient = protectedQuoteClient(settings);
    const withBreakwater = new ProtectedQuoteClient(service.url);
    const without = new UnprotectedQuoteClient(service.url);
    const view = new LiveView({
      ...target,
      service,
      breakers: [QUOTES_BREAKER],
      // Retry, timeout and fallback events carry the method's name; fold them into the breaker's row.
      rowOf: (event) => (POLICY_NAMES.has(event.name) ? QUOTES_BREAKER : undefined),
      bulkhead: () => {
        // The bulkhead is registered on the first call; until then it is empty.
        const snapshot = getBulkhead(QUOTES_BULKHEAD)?.snapshot();
        return {
          name: QUOTES_BULKHEAD,
          ...settings.bulkhead,
          active: snapshot?.active ?? 0,
          queued: snapshot?.queued ?? 0,
        };
      },
      clients: ['protected', 'unprotected'],
      story: phaseStory(settings),
    });
    const durationMs = service.windows[service.windows.length - 1]?.endMs ?? 0;
    const common = {
      users: options.users,
      durationMs,
      seed: options.seed,
      catalogSize: settings.catalogSize,
      thinkMs: settings.thinkMs,
      stop,
    };
    // Node loads its fetch implementation on first use, and opens a connection per concurrent request:
    // do both before the clock starts, or the first healthy calls would time out on the warm-up.
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(
        Array.from({ length: Math.min(2 * options.users, 100) }, async () => {
          await (await fetch(`${service.url}/health`)).arrayBuffer();
        }),
      );
    }
    service.beginIncident();
    view.start();
    let records: DemoResult['records'];
    try {
      const [p, u] = await Promise.all([
        runLoad({
          ...common,
          call: (item) => tagStale(withBreakwater.getQuote(item)),
          onRecord: (r) => view.record('protected', r),
        }),
        runLoad({
          ...common,
          call: (item) => tagStale(without.getQuote(item)),
          onRecord: (r) => view.record('unprotected', r),
        }),
      ]);
      records = { protected: p, unprotected: u };
    } finally {
      view.stop();
    }
    const counts = service.callCounts();
    return {
      windows: service.windows,
      records,
      summaries: {
        protected: summarize(records.protected, counts['protected'] ?? {}),
        unprotected: summarize(records.unprotected, counts['unprotected'] ?? {}),
      },
      stateLog: view.stateLog,
      finalState: getCircuitBreaker(QUOTES_BREAKER)?.state,
    };
  } finally {
    await service.close();
  }
}
