import { summarize } from '../../bench/harness/stats';
import { describeCheck } from '../../bench/report/table';
import { checkTargets } from '../../bench/report/targets';
import type { NodeRun } from '../../bench/report/types';
import type { ScenarioResult } from '../../bench/scenarios/scenario';

function scenarioRun(id: string, medians: Record<string, number>): NodeRun {
  const result: ScenarioResult = {
    id,
    title: id,
    unit: 'ns',
    metric: 'ns per call',
    rows: Object.entries(medians).map(([library, median]) => ({ library, summary: summarize([median]) })),
    notes: [],
  };
  return { node: 'v0', v8: '0', scenarios: [result] };
}

describe('target checks', () => {
  const againstCockatiel = (run: NodeRun) =>
    checkTargets(run).filter((c) => c.target === 'closed overhead ≤ 0.5× cockatiel');

  it('says a missed target is out of reach when the floor alone misses it', () => {
    const run = scenarioRun('closed-overhead', {
      hand: 600,
      cockatiel: 1000,
      'bw-decorator': 780,
      'bw-functional': 400,
    });
    const [decorator, functional] = againstCockatiel(run);
    expect(decorator).toMatchObject({ met: false, reachable: false });
    expect(decorator!.floorRatio).toBeCloseTo(0.6);
    expect(describeCheck(decorator!)).toBe('MISSED (0.78×; out of reach here: hand-written alone is 0.60×)');
    expect(decorator!.floor).toBe('hand');
    expect(describeCheck(functional!)).toBe('met (0.40×)');
  });

  it('reports a plain miss when the floor is within the target', () => {
    const run = scenarioRun('closed-overhead', {
      hand: 200,
      cockatiel: 1000,
      'bw-decorator': 600,
      'bw-functional': 600,
    });
    const [decorator] = againstCockatiel(run);
    expect(decorator).toMatchObject({ met: false, reachable: true });
    expect(describeCheck(decorator!)).toBe('MISSED (0.60×)');
  });

  it('judges the decorated breaker against the functional one, and not the functional one against itself', () => {
    const run = scenarioRun('closed-overhead', { hand: 80, cockatiel: 200, 'bw-decorator': 120, 'bw-functional': 100 });
    const [decorator, functional] = checkTargets(run).filter((c) => c.target === 'decorated breaker ≤ 1.3× functional');
    expect(describeCheck(decorator!)).toBe('met (1.20×)');
    expect(functional).toMatchObject({ met: undefined, notApplicable: 'the reference itself' });
    const slower = scenarioRun('closed-overhead', { 'bw-decorator': 140, 'bw-functional': 100 });
    expect(checkTargets(slower).find((c) => c.target === 'decorated breaker ≤ 1.3× functional')?.met).toBe(false);
  });

  it('judges the decorated stack against the floor plus AsyncLocalStorage, the functional one against the floor', () => {
    const run = scenarioRun('policy-stack', {
      hand: 1000,
      'hand-als': 2000,
      'bw-decorator': 2800,
      'bw-functional': 1400,
    });
    const judged = checkTargets(run).filter((c) => c.scenario === 'policy-stack' && c.notApplicable === undefined);
    expect(judged.map((c) => [c.path, c.target, describeCheck(c)])).toEqual([
      ['bw-functional', 'five-policy stack ≤ 1.5× hand-written', 'met (1.40×)'],
      ['bw-decorator', 'decorated five-policy stack ≤ 1.5× hand-written + AsyncLocalStorage', 'met (1.40×)'],
    ]);
  });

  it('judges a failing call against the hand-written floor', () => {
    const run = scenarioRun('failing-call', {
      hand: 1000,
      cockatiel: 1200,
      'bw-decorator': 1600,
      'bw-functional': 1100,
    });
    const [decorator, functional] = checkTargets(run).filter((c) => c.scenario === 'failing-call');
    expect(describeCheck(decorator!)).toBe('MISSED (1.60×)');
    expect(describeCheck(functional!)).toBe('met (1.10×)');
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
