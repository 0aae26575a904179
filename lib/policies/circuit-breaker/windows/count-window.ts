import type { SlidingWindow } from './sliding-window.js';

const FAILURE = 1;
const SLOW = 2;
// Two bits a call, fifteen calls a slot: each slot stays a small integer, so the ring is a packed
// array of a few words (a typed array costs an ArrayBuffer and its backing store per breaker).
const PER_SLOT = 15;

/**
 * The last `size` outcomes, in a ring of two bits per call, with running sums.
 * @internal
 */
export class CountWindow implements SlidingWindow {
  calls = 0;
  failures = 0;
  slowCalls = 0;
  slowFailures = 0;
  private readonly ring: number[];
  private next = 0;

  constructor(readonly size: number) {
    this.ring = new Array<number>(Math.ceil(size / PER_SLOT)).fill(0);
  }

  record(failure: boolean, slow: boolean, _now: number): void {
    const i = this.next;
    const slot = (i / PER_SLOT) | 0;
    const shift = (i - slot * PER_SLOT) * 2;
    const word = this.ring[slot]!;
    if (this.calls === this.size) {
      // The oldest outcome leaves as this one arrives in its slot.
      const old = (word >> shift) & 3;
      this.failures -= old & FAILURE;
      this.slowCalls -= (old & SLOW) >> 1;
      this.slowFailures -= old === (FAILURE | SLOW) ? 1 : 0;
    } else {
      this.calls++;
    }
    const flags = (failure ? FAILURE : 0) | (slow ? SLOW : 0);
    this.ring[slot] = (word & ~(3 << shift)) | (flags << shift);
    this.failures += flags & FAILURE;
    this.slowCalls += (flags & SLOW) >> 1;
    this.slowFailures += flags === (FAILURE | SLOW) ? 1 : 0;
    this.next = i + 1 === this.size ? 0 : i + 1;
  }

  roll(_now: number): number {
    return 0;
  }

  clear(): void {
    this.ring.fill(0);
    this.calls = this.failures = this.slowCalls = this.slowFailures = this.next = 0;
  }

  /** The outcomes held, oldest first, one letter per call: `s`, `f`, `S` (slow success), `F` (slow failure). */
  outcomes(): string {
    let letters = '';
    for (let k = 0, i = (this.next - this.calls + this.size) % this.size; k < this.calls; k++) {
      const slot = (i / PER_SLOT) | 0;
      letters += LETTERS[(this.ring[slot]! >> ((i - slot * PER_SLOT) * 2)) & 3];
      i = i + 1 === this.size ? 0 : i + 1;
    }
    return letters;
  }

  /** Replaces the content with `outcomes` (as {@link CountWindow.outcomes} writes them; at most `size`). */
  load(outcomes: string): void {
    this.clear();
    for (const letter of outcomes) {
      const flags = LETTERS.indexOf(letter);
      this.record((flags & FAILURE) !== 0, (flags & SLOW) !== 0, 0);
    }
  }
}

// Indexed by the two flag bits: plain success, failure, slow success, slow failure.
const LETTERS = 'sfSF';
