import { PLAIN_TIMEOUT_MS, QUOTES_BREAKER } from './settings.js';
import type { DemoOptions } from './cli.js';
import type { DemoSettings } from './scale.js';

/**
 * What the viewer is about to see, printed before the run starts.
 *
 * @param options - the parsed command line.
 * @example
 * ```ts
 * console.log(introText(options));
 * ```
 */
export function introText(options: DemoOptions): string {
  const s = (ms: number): string => `${+(ms / 1_000).toFixed(2)} s`;
  const total = options.phases.reduce((sum, p) => sum + p.durationMs, 0);
  const phase = (i: number): string => s(options.phases[i]?.durationMs ?? 0);
  const { settings } = options;
  const [slowFrom, slowTo] = settings.tuning.slowMs;
  const probes =
    settings.resetBaseMs === settings.resetCapMs
      ? s(settings.resetBaseMs)
      : `${s(settings.resetBaseMs)}, doubling up to ${s(settings.resetCapMs)}`;
  return [
    'breakwater demo: what you are about to see',
    '',
    `A local HTTP quote service plays a ${s(total)} incident: healthy (${phase(0)}) → half of the requests`,
    `fail with 503 (${phase(1)}) → full outage (${phase(2)}) → answers in ${s(slowFrom)}–${s(slowTo)}, slower than the`,
    `client's timeout (${phase(3)}) → recovered (${phase(4)}).`,
    '',
    `${options.users} simulated users ask for ${settings.catalogSize} catalogue item${settings.catalogSize === 1 ? '' : 's'} through a client guarded by breakwater:`,
    `bulkhead of ${settings.bulkhead.maxConcurrent} (+${settings.bulkhead.maxQueue} queued), ${settings.timeoutMs} ms timeout per attempt, one retry on 503,`,
    `circuit breaker "${QUOTES_BREAKER}" that opens at a 50 % failure rate over ${settings.windowSize} calls and probes`,
    `again after ${probes}, and the last good quote as fallback. At the same`,
    `time, another ${options.users} users make the same requests through plain fetch with a ${s(PLAIN_TIMEOUT_MS)} timeout.`,
    '',
    'Watch the breaker open during the outage, let a probe through in half-open, and close again',
    'once the service has recovered. The table at the end compares what the users got, and how',
    'hard each client kept hitting the service while it was down.',
    '',
  ].join('\n');
}

/**
 * The protected client's limits for this run, in one line (for the report).
 *
 * @param settings - from `demoSettings()`.
 * @example
 * ```ts
 * limitsText(options.settings); // 'protected client: 500 ms timeout per attempt, bulkhead 8 + 8 queued, …'
 * ```
 */
export function limitsText(settings: DemoSettings): string {
  const { bulkhead } = settings;
  return (
    `protected client: ${settings.timeoutMs} ms timeout per attempt, bulkhead ${bulkhead.maxConcurrent} + ` +
    `${bulkhead.maxQueue} queued, breaker opening at 50 % failures over ${settings.windowSize} calls ` +
    `(at least ${settings.minimumCalls}), probing after ${settings.resetBaseMs}–${settings.resetCapMs} ms; ` +
    `${settings.catalogSize} catalogue item${settings.catalogSize === 1 ? '' : 's'}`
  );
}
