import type { CircuitBreakerConfig } from '../options.js';
import { resetDelay } from '../state-machine.js';
import type { SharedRules } from './store.js';

/** How long a probe's lease lasts when the breaker sets no `halfOpenMaxWait`, ms. @internal */
export const DEFAULT_PROBE_LEASE = 30_000;

/**
 * The rules a store applies for the whole fleet, from a breaker's resolved options. A probe's lease
 * lasts `halfOpenMaxWait` when it is set (the same bound a local breaker puts on a silent probe).
 * @internal
 */
export function sharedRules(config: CircuitBreakerConfig): SharedRules {
  const timeout = config.resetTimeout;
  return Object.freeze({
    thresholdRule: config.thresholdRule,
    failureThreshold: config.failureThreshold,
    failureWindow: config.failureWindow,
    failureRateThreshold: config.failureRateThreshold,
    slowCallRateThreshold: config.slowCallRateThreshold,
    slidingWindow: config.slidingWindow,
    minimumCalls: config.minimumCalls,
    halfOpenMaxCalls: config.halfOpenMaxCalls,
    successThreshold: config.successThreshold,
    probeLease: config.halfOpenMaxWait ?? DEFAULT_PROBE_LEASE,
    resetDelay: (consecutiveOpens: number) => resetDelay(timeout, consecutiveOpens),
  });
}
