// Unique across the fleet without coordination: a random tag per process and a counter.
const PROCESS_TAG = Math.random().toString(36).slice(2, 10);
let issued = 0;

/** A name for a probe lease this process asks for. @internal */
export function nextLeaseToken(): string {
  return `${PROCESS_TAG}.${++issued}`;
}
