import { CircuitOpenError } from '../../errors/circuit-open-error.js';

// A rejection is the breaker's hot path while open: thousands per second during an outage.
// Capturing the stack is nearly all of a new Error's cost, and its first frames are breakwater's
// own (measured in bench/: 0 frames ≈ 0.45× cockatiel's rejection, 1 frame ≈ 0.85×, 2 ≈ 1.1×).
// The message already says which breaker and when a probe will be admitted, so no frames.
const REJECTION_STACK_FRAMES = 0;

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
