/**
 * A node of {@link WaiterQueue}. Subclass it to carry a waiter's data; the links are the queue's.
 * @internal
 */
export class QueueNode {
  /** @internal */ prev: QueueNode | undefined = undefined;
  /** @internal */ next: QueueNode | undefined = undefined;
  /** @internal */ queued = false;
}

/**
 * First-in first-out queue with O(1) push, shift and removal of any node: a waiter that times out
 * or is aborted leaves from the middle without a scan, so a long queue under churn stays cheap.
 * @internal
 */
export class WaiterQueue<T extends QueueNode> {
  private head: T | undefined = undefined;
  private tail: T | undefined = undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(node: T): void {
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail === undefined) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    node.queued = true;
    this.count++;
  }

  /** Removes and returns the oldest node. */
  shift(): T | undefined {
    const node = this.head;
    if (node !== undefined) this.remove(node);
    return node;
  }

  /** Removes `node`; false when it was not queued (already started or already gone). */
  remove(node: T): boolean {
    if (!node.queued) return false;
    const { prev, next } = node;
    if (prev === undefined) this.head = next as T | undefined;
    else prev.next = next;
    if (next === undefined) this.tail = prev as T | undefined;
    else next.prev = prev;
    node.prev = node.next = undefined;
    node.queued = false;
    this.count--;
    return true;
  }

  /** The nodes oldest first (for snapshots and tests). */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let node = this.head; node !== undefined; node = node.next as T | undefined) yield node;
  }
}
