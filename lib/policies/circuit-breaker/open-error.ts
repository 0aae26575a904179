import { CircuitOpenError } from '../../errors/circuit-open-error.js';

// A rejection is the breaker's hot path while open: thousands per second during an outage.
// Capturing a full stack trace dominates the cost of a new Error, and past the first frames it
// shows only breakwater internals; a short trace still says where the call came from.
const REJECTION_STACK_FRAMES = 6;

/**
 * Creates the error for a rejected call, with a shortened stack trace.
 *
 * @param name - the breaker's name.
 * @param retryAfter - ms until a probe will be admitted (Infinity when forced open).
 * @internal
 */
export function circuitOpenError(name: string, retryAfter: number): CircuitOpenError {
  const limit = Error.stackTraceLimit;
  // Respect a lower limit (a user who disabled traces); only ever shorten.
  if (limit > REJECTION_STACK_FRAMES) Error.stackTraceLimit = REJECTION_STACK_FRAMES;
  try {
    return new CircuitOpenError(name, retryAfter);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
