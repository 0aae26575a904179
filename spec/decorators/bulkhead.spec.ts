import { Bulkhead } from '../../lib/decorators/bulkhead.js';
import { getPolicyMetadata } from '../../lib/decorators/get-policy-metadata.js';
import { isBulkheadFullError } from '../../lib/errors/bulkhead-full-error.js';
import { isPolicyConfigError, type PolicyConfigError } from '../../lib/errors/policy-config-error.js';
import { getBulkhead } from '../../lib/policies/bulkhead/registry.js';
import { deferred, flushMicrotasks, track } from '../policies/bulkhead/test-kit.js';

describe('@Bulkhead', () => {
  it('limits one method across every instance and passes this, arguments and results through', async () => {
    const gate = deferred();
    class Db {
      constructor(readonly id: string) {}
      @Bulkhead({ maxConcurrent: 2, maxQueue: 1 })
      async query(sql: string, params: number[]): Promise<string> {
        await gate.promise;
        return `${this.id}:${sql}:${params.join(',')}`;
      }
    }
    const calls = [new Db('a').query('q1', [1]), new Db('b').query('q2', [2, 3]), new Db('c').query('q3', [])];
    const fourth = track(new Db('d').query('q4', []));
    await flushMicrotasks();
    expect(isBulkheadFullError(fourth.value)).toBe(true);
    expect(fourth.value).toMatchObject({ bulkheadName: 'Db.query', reason: 'full' });
    expect(getBulkhead('Db.query')).toMatchObject({ active: 2, queued: 1 });
    gate.resolve();
    await expect(Promise.all(calls)).resolves.toEqual(['a:q1:1', 'b:q2:2,3', 'c:q3:']);
  });

  it('gives each unnamed method its own bulkhead', async () => {
    const gate = deferred();
    class Two {
      @Bulkhead(1)
      async left(): Promise<void> {
        await gate.promise;
      }
      @Bulkhead(1)
      async right(): Promise<void> {
        await gate.promise;
      }
    }
    const t = new Two();
    const both = Promise.all([t.left(), t.right()]);
    await flushMicrotasks();
    expect([getBulkhead('Two.left')?.active, getBulkhead('Two.right')?.active]).toEqual([1, 1]);
    gate.resolve();
    await both;
  });

  it('validates its options when the class is defined, naming every bad field', () => {
    let caught: unknown;
    try {
      class Bad {
        @Bulkhead({ maxConcurrent: 0.5, maxQueue: -1 })
        async go(): Promise<void> {}
      }
      void Bad;
    } catch (error) {
      caught = error;
    }
    expect(isPolicyConfigError(caught)).toBe(true);
    expect((caught as PolicyConfigError).issues.map((i) => i.field)).toEqual(['maxConcurrent', 'maxQueue']);
    expect((caught as PolicyConfigError).where).toMatch(/^@Bulkhead on (Bad\.)?go$/);
  });

  it('records its options as metadata', () => {
    class Meta {
      @Bulkhead(7)
      async go(): Promise<void> {}
    }
    expect(getPolicyMetadata(Meta, 'go')?.policies).toEqual([{ kind: 'bulkhead', options: 7 }]);
  });
});
