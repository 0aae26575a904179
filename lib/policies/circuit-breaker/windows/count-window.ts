import type { SlidingWindow } from './sliding-window.js';

const FAILURE = 1;
const SLOW = 2;

/**
 * The last `size` outcomes, in a ring of one byte per call.
 * @internal
 */
export class CountWindow implements SlidingWindow {
  calls = 0;
  failures = 0;
  slowCalls = 0;
  private readonly ring: Uint8Array;
  private next = 0;

  constructor(readonly size: number) {
    this.ring = new Uint8Array(size);
  }

  record(failure: boolean, slow: boolean, _now: number): void {
    const i = this.next;
    if (this.calls === this.size) {
      // The oldest outcome leaves as this one arrives in its slot.
      const old = this.ring[i]!;
      this.failures -= old & FAILURE;
      this.slowCalls -= (old & SLOW) >> 1;
    } else {
      this.calls++;
    }
    const flags = (failure ? FAILURE : 0) | (slow ? SLOW : 0);
    this.ring[i] = flags;
    this.failures += flags & FAILURE;
    this.slowCalls += (flags & SLOW) >> 1;
    this.next = i + 1 === this.size ? 0 : i + 1;
  }

  roll(_now: number): number {
    return 0;
  }

  clear(): void {
    this.ring.fill(0);
    this.calls = this.failures = this.slowCalls = this.next = 0;
  }
}
