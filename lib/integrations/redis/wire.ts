import type { CircuitState, SharedCircuitState, SharedRules, StateChangeReason } from '../../index.js';

/** The hash (and channel) of breaker `name`: `<prefix>{<name>}:cb`. @internal */
export function keyOf(prefix: string, name: string): string {
  return `${prefix}{${name}}:cb`;
}

const DAY = 86_400_000;

/**
 * The rules as the script reads them: twelve comma-terminated fields. The hash's TTL is a day, or
 * twice the longest time the state must outlive (a reset delay, a window, a lease) if that is longer.
 * @internal
 */
export function encodeRules(r: SharedRules): string {
  const w = r.slidingWindow;
  const longest = Math.max(r.resetDelay(1), w.type === 'time' ? w.duration : 0, r.failureWindow ?? 0, r.probeLease);
  const fields = [
    r.thresholdRule ?? '',
    r.failureThreshold,
    r.failureWindow ?? '',
    r.failureRateThreshold ?? '',
    r.slowCallRateThreshold ?? '',
    w.type,
    w.type === 'count' ? w.size : w.duration,
    r.minimumCalls,
    r.halfOpenMaxCalls,
    r.successThreshold,
    r.probeLease,
    Math.max(DAY, 2 * longest),
  ];
  return fields.map((f) => `${f},`).join('');
}

const STATES: readonly string[] = ['closed', 'open', 'half_open', 'forced_open', 'disabled'];

/**
 * The shared state from the script's reply or message:
 * `state|gen|retryAfter|consecutiveOpens|reason|openedAt|granted|calls|failed|slow|slowFailed`.
 * @throws Error for anything else (a key written by something other than this store).
 * @internal
 */
export function decodeState(text: string): SharedCircuitState {
  const p = text.split('|');
  const n = (i: number): number => Number(p[i]);
  if (p.length !== 11 || !STATES.includes(p[0]!) || !Number.isFinite(n(1))) {
    throw new Error(`breakwater/redis: unexpected reply from the breaker script: ${text.slice(0, 80)}`);
  }
  const openedAt = n(5);
  return {
    state: p[0] as CircuitState,
    gen: n(1),
    retryAfter: n(2),
    consecutiveOpens: n(3),
    reason: p[4] === '' ? undefined : (p[4] as StateChangeReason),
    openedAt: openedAt < 0 ? null : openedAt,
    granted: p[6] === '1',
    window: { calls: n(7), failedCalls: n(8), slowCalls: n(9), slowFailedCalls: n(10) },
  };
}
