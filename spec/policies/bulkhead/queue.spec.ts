import fc from 'fast-check';
import { QueueNode, WaiterQueue } from '../../../lib/policies/bulkhead/queue.js';

class Item extends QueueNode {
  constructor(readonly id: number) {
    super();
  }
}

describe('WaiterQueue', () => {
  it('is first in, first out', () => {
    const q = new WaiterQueue<Item>();
    const items = [1, 2, 3].map((id) => new Item(id));
    items.forEach((i) => q.push(i));
    expect([q.shift()?.id, q.shift()?.id, q.shift()?.id, q.shift()]).toEqual([1, 2, 3, undefined]);
    expect(q.size).toBe(0);
  });

  it('removes a node from the head, the middle and the tail, once', () => {
    const q = new WaiterQueue<Item>();
    const [a, b, c, d] = [1, 2, 3, 4].map((id) => new Item(id)) as [Item, Item, Item, Item];
    [a, b, c, d].forEach((i) => q.push(i));
    expect(q.remove(b)).toBe(true);
    expect(q.remove(b)).toBe(false);
    expect(q.remove(a)).toBe(true);
    expect(q.remove(d)).toBe(true);
    expect([...q].map((i) => i.id)).toEqual([3]);
    expect(q.shift()).toBe(c);
    expect(q.remove(c)).toBe(false);
    expect(q.size).toBe(0);
  });

  it('behaves like an array model under any sequence of push, shift and remove', () => {
    type Op = { op: 'push' } | { op: 'shift' } | { op: 'remove'; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant<Op>({ op: 'push' }),
      fc.constant<Op>({ op: 'shift' }),
      fc.nat(50).map<Op>((pick) => ({ op: 'remove', pick })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const q = new WaiterQueue<Item>();
        const model: Item[] = [];
        const all: Item[] = [];
        let next = 0;
        for (const o of ops) {
          if (o.op === 'push') {
            const item = new Item(next++);
            all.push(item);
            q.push(item);
            model.push(item);
          } else if (o.op === 'shift') {
            expect(q.shift()).toBe(model.shift());
          } else if (all.length > 0) {
            const item = all[o.pick % all.length]!;
            const at = model.indexOf(item);
            expect(q.remove(item)).toBe(at >= 0);
            if (at >= 0) model.splice(at, 1);
          }
          expect(q.size).toBe(model.length);
          expect([...q]).toEqual(model);
        }
      }),
    );
  });
});
