import type { Clock } from '../../clock/clock.js';

interface Entry {
  readonly value: unknown;
  readonly storedAt: number;
}

/**
 * A bounded least-recently-used map with an optional time to live, for {@link staleResult}.
 * Map iteration order is insertion order, so re-inserting on each use keeps the oldest first.
 * @internal
 */
export class StaleStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttl: number | undefined,
    private readonly clock: () => Clock,
  ) {}

  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.clock().monotonic() });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  /** The stored value, or `undefined` with `found: false` when absent or older than the TTL. */
  get(key: string): { found: true; value: unknown } | { found: false } {
    const entry = this.entries.get(key);
    if (entry === undefined) return { found: false };
    if (this.ttl !== undefined && this.clock().monotonic() - entry.storedAt > this.ttl) {
      this.entries.delete(key);
      return { found: false };
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { found: true, value: entry.value };
  }
}
