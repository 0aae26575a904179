import { PLAIN_TIMEOUT_MS, QUOTE_TIMEOUT_MS, QUOTES_BREAKER } from './settings.js';
import type { DemoOptions } from './cli.js';

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
  const s = (ms: number): string => `${+(ms / 1_000).toFixed(1)} s`;
  const total = options.phases.reduce((sum, p) => sum + p.durationMs, 0);
  const phase = (i: number): string => s(options.phases[i]?.durationMs ?? 0);
  return [
    'breakwater demo: what you are about to see',
    '',
    `A local HTTP quote service plays a ${s(total)} incident: healthy (${phase(0)}) → half of the requests`,
    `fail with 503 (${phase(1)}) → full outage (${phase(2)}) → answers slower than the client's timeout (${phase(3)})`,
    `→ recovered (${phase(4)}).`,
    '',
    `${options.users} simulated users call it through a client guarded by breakwater: bulkhead of 8 (+8 queued),`,
    `${QUOTE_TIMEOUT_MS} ms timeout per attempt, one retry on 503, circuit breaker "${QUOTES_BREAKER}" that opens at a`,
    '50 % failure rate, and the last good quote as fallback. At the same time, another',
    `${options.users} users make the same requests through plain fetch with a ${s(PLAIN_TIMEOUT_MS)} timeout.`,
    '',
    'Watch the breaker open during the outage, let a probe through in half-open, and close again',
    'once the service has recovered. The table at the end compares what the users got, and how',
    'hard each client kept hitting the service while it was down.',
    '',
  ].join('\n');
}
