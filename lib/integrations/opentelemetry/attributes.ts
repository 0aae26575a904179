import type { Attributes } from '@opentelemetry/api';
import type { ResilienceEvent } from '../../index.js';

// Pure translation of breakwater events into OpenTelemetry measurements, with attributes in the
// shape Polly v8 uses (`event.name`, `event.severity`, `pipeline.name`, `strategy.name`,
// `exception.type`): pipeline.name is the policy's name, strategy.name its kind.

/** Polly's severities. */
export type Severity = 'Information' | 'Warning' | 'Error';

/** What one event asks the exporter to record. @internal */
export type Measurement =
  | { readonly instrument: 'events'; readonly attributes: Attributes }
  | { readonly instrument: 'call' | 'attempt'; readonly value: number; readonly attributes: Attributes }
  | undefined;

/**
 * The error's type, as `exception.type`: its class name (`TimeoutError`), or `typeof` for a thrown
 * non-object. Never its message. Reading it never throws (hostile proxies answer `'unknown'`).
 * @internal
 */
export function exceptionType(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null) {
      const ctor = (error as { constructor?: unknown }).constructor;
      return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'Object';
    }
    return error === null ? 'null' : typeof error;
  } catch {
    return 'unknown';
  }
}

function base(event: ResilienceEvent): Attributes {
  return { 'pipeline.name': event.name, 'strategy.name': event.policy };
}

function counted(event: ResilienceEvent, severity: Severity, extra: Attributes = {}): Measurement {
  return {
    instrument: 'events',
    attributes: { 'event.name': event.type, 'event.severity': severity, ...base(event), ...extra },
  };
}

function timed(
  instrument: 'call' | 'attempt',
  event: ResilienceEvent,
  value: number,
  outcome: string,
  error?: unknown,
): Measurement {
  const attributes: Attributes = { ...base(event), outcome };
  if (error !== undefined) attributes['exception.type'] = exceptionType(error);
  return { instrument, value, attributes };
}

/**
 * The measurement an event makes: a count of a resilience event (retry, rejection, timeout,
 * fallback, state change, bulkhead rejection), or a call or attempt duration in ms.
 * @internal
 */
export function measure(event: ResilienceEvent): Measurement {
  switch (event.type) {
    case 'success':
      return timed('call', event, event.duration, 'success');
    case 'failure':
      return timed('call', event, event.duration, 'failure', event.error);
    case 'ignored':
      return timed('call', event, event.duration, 'ignored', event.error);
    case 'retry_outcome':
      return timed('call', event, event.duration, event.outcome, event.error);
    case 'timeout_outcome':
      return timed('attempt', event, event.duration, event.outcome, event.error);
    case 'rejected':
      return counted(event, 'Error', { 'circuit_breaker.state': event.state });
    case 'state_change': {
      const to = event.to;
      const severity = to === 'open' || to === 'forced_open' ? 'Error' : to === 'half_open' ? 'Warning' : 'Information';
      return counted(event, severity, { 'circuit_breaker.state': to });
    }
    case 'retry':
      return counted(
        event,
        'Warning',
        event.error === undefined ? {} : { 'exception.type': exceptionType(event.error) },
      );
    case 'fallback':
      return counted(event, 'Warning', { 'exception.type': exceptionType(event.error) });
    case 'timeout':
      return counted(event, 'Error');
    case 'bulkhead_rejected':
      return counted(event, 'Error', { 'bulkhead.reason': event.reason });
    case 'store_unavailable':
      return counted(event, 'Error', { 'exception.type': exceptionType(event.error) });
    case 'store_restored':
      return counted(event, 'Information');
    default:
      // Event types this exporter does not know are not recorded.
      return undefined;
  }
}

/** A timed-out attempt's duration (the timeout that expired), for the attempt-duration histogram. @internal */
export function timedOutAttempt(event: ResilienceEvent): Measurement {
  return event.type === 'timeout' ? timed('attempt', event, event.duration, 'timeout') : undefined;
}

/**
 * The span event for an event worth one on the active span (why a traced request was slow or
 * failed): retry, fallback, rejection, timeout, bulkhead rejection. `undefined` for the others.
 * @internal
 */
export function spanEvent(event: ResilienceEvent): { name: string; attributes: Attributes } | undefined {
  switch (event.type) {
    case 'retry':
    case 'fallback':
    case 'rejected':
    case 'timeout':
    case 'bulkhead_rejected': {
      const attributes: Attributes = { ...(measure(event) as { attributes: Attributes }).attributes };
      if (event.type === 'retry') {
        attributes['retry.attempt'] = event.attempt;
        attributes['retry.delay_ms'] = event.delay;
      } else if (event.type === 'rejected') {
        attributes['circuit_breaker.retry_after_ms'] = event.retryAfter;
      } else if (event.type === 'timeout') {
        attributes['timeout.duration_ms'] = event.duration;
      }
      return { name: `breakwater.${event.type}`, attributes };
    }
    default:
      return undefined;
  }
}
