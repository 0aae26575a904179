import { NameRegistry } from '../../lib/runtime/registry.js';

// The one registry behind the breakers' and the bulkheads': strong and weak names. That a weakly
// held policy leaves once collected is shown with a real GC by the registry-gc and class-factory specs.

describe('NameRegistry', () => {
  it('holds chosen names strongly and derived ones weakly, and lists the live ones in registration order', () => {
    const registry = new NameRegistry<{ id: string }>();
    const a = { id: 'a' };
    const b = { id: 'b' };
    registry.holdWeakly('Client.read', b);
    registry.holdStrongly('payments', a);
    expect(registry.get('payments')).toBe(a);
    expect(registry.get('Client.read')).toBe(b);
    expect(registry.get('nothing')).toBeUndefined();
    expect([registry.isWeak('payments'), registry.isWeak('Client.read'), registry.isWeak('nothing')]).toEqual([
      false,
      true,
      false,
    ]);
    expect(registry.values()).toEqual([b, a]);
    expect(registry.names()).toEqual(['Client.read', 'payments']);
  });

  it('moves a weakly held name to strong, and forgets a deleted one', () => {
    const registry = new NameRegistry<{ id: string }>();
    const policy = { id: 'p' };
    registry.holdWeakly('Client.read', policy);
    registry.holdStrongly('Client.read', policy);
    expect(registry.isWeak('Client.read')).toBe(false);
    registry.delete('Client.read');
    expect(registry.get('Client.read')).toBeUndefined();
    expect(registry.values()).toEqual([]);
  });
});
