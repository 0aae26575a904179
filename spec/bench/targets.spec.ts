import { summarize } from '../../bench/harness/stats';
import { describeCheck } from '../../bench/report/table';
import { checkTargets } from '../../bench/report/targets';
import type { NodeRun } from '../../bench/report/types';
import type { ScenarioResult } from '../../bench/scenarios/scenario';

function failingCall(medians: Record<string, number>): NodeRun {
  const result: ScenarioResult = {
    id: 'failing-call',
    title: '4. Failing call',
    unit: 'ns',
    metric: 'ns per failing call',
    rows: Object.entries(medians).map(([library, median]) => ({ library, summary: summarize([median]) })),
    notes: [],
  };
  return { node: 'v0', v8: '0', scenarios: [result] };
}

describe('target checks', () => {
  it('says a missed target is out of reach when the floor alone misses it', () => {
    const run = failingCall({ baseline: 700, cockatiel: 1000, 'bw-decorator': 780, 'bw-functional': 400 });
    const [decorator, functional] = checkTargets(run).filter((c) => c.scenario === 'failing-call');
    expect(decorator).toMatchObject({ met: false, reachable: false });
    expect(decorator!.floorRatio).toBeCloseTo(0.7);
    expect(describeCheck(decorator!)).toBe('MISSED (0.78×; out of reach here: `await fn()` alone is 0.70×)');
    expect(decorator!.floor).toBe('baseline');
    expect(describeCheck(functional!)).toBe('met (0.40×)');
  });

  it('reports a plain miss when the floor is within the target', () => {
    const run = failingCall({ baseline: 200, cockatiel: 1000, 'bw-decorator': 600, 'bw-functional': 600 });
    const [decorator] = checkTargets(run).filter((c) => c.scenario === 'failing-call');
    expect(decorator).toMatchObject({ met: false, reachable: true });
    expect(describeCheck(decorator!)).toBe('MISSED (0.60×)');
  });

  describe('idle heap', () => {
    function idleHeap(rows: Record<string, { bytes: number; retained: number }>): NodeRun {
      const result: ScenarioResult = {
        id: 'idle-heap',
        title: '5. Heap per idle breaker',
        unit: 'bytes',
        metric: 'bytes per breaker',
        rows: Object.entries(rows).map(([library, r]) => ({
          library,
          summary: summarize([r.bytes]),
          retained: summarize([r.retained]),
        })),
        notes: [],
      };
      return { node: 'v0', v8: '0', scenarios: [result] };
    }
    const checksOf = (run: NodeRun, target: string) =>
      checkTargets(run).filter((c) => c.scenario === 'idle-heap' && c.target.startsWith(target));

    it('holds the default-options limit to the functional row only: the decorator row is per object', () => {
      const run = idleHeap({
        'bw-decorator': { bytes: 1000, retained: 0 },
        'bw-functional': { bytes: 560, retained: 0 },
      });
      const [decorator, functional] = checksOf(run, '≤ 600 B');
      expect(decorator!.met).toBeUndefined();
      expect(describeCheck(decorator!)).toBe("n/a: its row is a per-object breaker, `scope: 'instance'`");
      expect(describeCheck(functional!)).toBe('met (560)');
    });

    it('misses "dropped breakers free everything" when bytes stay behind after the drop', () => {
      const run = idleHeap({
        'bw-decorator': { bytes: 1000, retained: 420 },
        'bw-functional': { bytes: 560, retained: 2.5 },
      });
      const [decorator, functional] = checksOf(run, 'dropped breakers');
      expect(describeCheck(decorator!)).toBe('MISSED (420)');
      expect(describeCheck(functional!)).toBe('met (2.5)');
    });
  });
});
