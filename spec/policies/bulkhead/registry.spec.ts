import { Bulkhead } from '../../../lib/decorators/bulkhead.js';
import { isPolicyConfigError } from '../../../lib/errors/policy-config-error.js';
import { bulkhead } from '../../../lib/functional/bulkhead.js';
import { getBulkhead, listBulkheads } from '../../../lib/policies/bulkhead/registry.js';
import { deferred, flushMicrotasks } from './test-kit.js';

describe('bulkhead registry', () => {
  it('shares one named bulkhead across methods, classes and the functional API', async () => {
    const gate = deferred();
    class Orders {
      @Bulkhead({ name: 'reg-db', maxConcurrent: 2 })
      async list(): Promise<void> {
        await gate.promise;
      }
    }
    class Invoices {
      @Bulkhead({ name: 'reg-db', maxConcurrent: 2 })
      async list(): Promise<void> {
        await gate.promise;
      }
    }
    const fromFn = bulkhead({ name: 'reg-db', maxConcurrent: 2 });
    const a = new Orders().list();
    const b = new Invoices().list();
    await flushMicrotasks();
    expect(getBulkhead('reg-db')?.active).toBe(2);
    expect(fromFn.active).toBe(2);
    await expect(fromFn.execute(async () => 'x')).rejects.toMatchObject({
      code: 'ERR_BULKHEAD_FULL',
      bulkheadName: 'reg-db',
    });
    gate.resolve();
    await Promise.all([a, b]);
    expect(getBulkhead('reg-db')?.snapshot()).toMatchObject({ active: 0, queued: 0 });
  });

  it('rejects the same name with other limits when the class is defined', () => {
    bulkhead({ name: 'reg-clash', maxConcurrent: 2, maxQueue: 1 });
    let caught: unknown;
    try {
      class Clash {
        @Bulkhead({ name: 'reg-clash', maxConcurrent: 3 })
        async go(): Promise<void> {}
      }
      void Clash;
    } catch (error) {
      caught = error;
    }
    expect(isPolicyConfigError(caught)).toBe(true);
    expect(String(caught)).toMatch(
      /name must be a name not already used by a bulkhead with other limits \('reg-clash' has maxConcurrent 2, maxQueue 1/,
    );
    expect(() => bulkhead({ name: 'reg-clash', maxConcurrent: 2 })).toThrow(/reg-clash/);
    expect(() => bulkhead({ name: 'reg-clash', maxConcurrent: 2, maxQueue: 1 })).not.toThrow();
  });

  it('registers an unnamed decorator bulkhead under Class.method at its first call, one per method', async () => {
    class Catalog {
      @Bulkhead(1)
      async search(): Promise<string> {
        return 's';
      }
      @Bulkhead({ maxConcurrent: 4, maxQueue: 2 })
      async browse(): Promise<string> {
        return 'b';
      }
    }
    expect(getBulkhead('Catalog.search')).toBeUndefined();
    await new Catalog().search();
    await new Catalog().browse();
    expect(getBulkhead('Catalog.search')).toMatchObject({ name: 'Catalog.search', maxConcurrent: 1, maxQueue: 0 });
    expect(getBulkhead('Catalog.browse')).toMatchObject({ maxConcurrent: 4, maxQueue: 2 });
    expect(listBulkheads().map((h) => h.name)).toEqual(expect.arrayContaining(['Catalog.search', 'Catalog.browse']));
  });

  it('does not register an anonymous functional bulkhead', () => {
    const before = listBulkheads().length;
    const anon = bulkhead(3);
    expect(anon.name).toBe('bulkhead');
    expect(listBulkheads()).toHaveLength(before);
    expect(getBulkhead('bulkhead')).toBeUndefined();
  });
});
