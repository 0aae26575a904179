import type { BackoffStrategy, JitterStrategy } from './options.js';

/** What the delay computation needs from the options. @internal */
export interface BackoffSettings {
  readonly delay: number;
  readonly backoff: BackoffStrategy;
  readonly factor: number;
  readonly maxDelay: number;
  readonly jitter: JitterStrategy;
}

/**
 * Clamps a computed delay into [0, maxDelay]; NaN counts as the upper bound (Polly #2163: an
 * overflowing formula must not turn into a 1 ms hot loop, Node's fate for timers above 2^31-1).
 * @internal
 */
export function clampDelay(ms: number, maxDelay: number): number {
  if (Number.isNaN(ms) || ms > maxDelay) return maxDelay;
  return ms < 0 ? 0 : ms;
}

/**
 * The delay before retry number `n` (1 before the second attempt), before jitter, capped.
 * @internal
 */
export function baseDelay(settings: BackoffSettings, n: number, error: unknown): number {
  const { delay, backoff, factor, maxDelay } = settings;
  let ms: number;
  if (typeof backoff === 'function') {
    // A custom backoff that throws must not replace the call's error: it counts as NaN → maxDelay.
    try {
      ms = backoff(n, error);
    } catch {
      ms = Number.NaN;
    }
  } else if (backoff === 'fixed') ms = delay;
  else if (backoff === 'linear') ms = delay * n;
  // Math.pow overflows to Infinity (never NaN) for large n: the clamp turns it into maxDelay.
  else ms = delay * Math.pow(factor, n - 1);
  return clampDelay(typeof ms === 'number' ? ms : Number.NaN, maxDelay);
}

/**
 * Applies jitter to a capped delay `d`. `previous` is the last delay used ('decorrelated' only;
 * `settings.delay` before the first retry). The result is capped again: jitter never exceeds maxDelay.
 * @internal
 */
export function applyJitter(settings: BackoffSettings, d: number, previous: number, random: () => number): number {
  const { jitter, delay, maxDelay } = settings;
  switch (jitter) {
    case 'none':
      return d;
    case 'full':
      return clampDelay(uniform(random) * d, maxDelay);
    case 'equal':
      return clampDelay(d / 2 + uniform(random) * (d / 2), maxDelay);
    case 'decorrelated': {
      const high = Math.min(3 * previous, maxDelay);
      return clampDelay(delay + uniform(random) * (high - delay), maxDelay);
    }
  }
}

// A broken random source (NaN, outside [0, 1)) must not break the bounds.
function uniform(random: () => number): number {
  const r = random();
  return r >= 0 && r <= 1 ? r : 0;
}

/**
 * The delay before retry `n`, jitter included: the pure heart of the retry policy.
 *
 * @param settings - the resolved options.
 * @param n - the retry number, from 1.
 * @param error - what caused the retry (passed to a custom backoff; `undefined` for a rejected result).
 * @param previous - the delay used before the previous retry (`settings.delay` before the first).
 * @param random - a source of numbers in [0, 1).
 * @returns milliseconds in [0, maxDelay].
 * @internal
 */
export function nextDelay(
  settings: BackoffSettings,
  n: number,
  error: unknown,
  previous: number,
  random: () => number,
): number {
  return applyJitter(settings, baseDelay(settings, n, error), previous, random);
}
