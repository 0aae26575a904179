/** Test helpers shared by the bulkhead, timeout, cancellation and stress specs. */

export { deferred, flushMicrotasks, track, type Deferred } from '../../support/async.js';

/** Number of 'abort' listeners on a signal (AbortSignal is an EventTarget). */
export { getEventListeners } from 'node:events';
