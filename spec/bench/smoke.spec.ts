import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { interleave } from '../../bench/harness/interleave';
import { quantile, summarize } from '../../bench/harness/stats';
import type { LibraryAdapter } from '../../bench/libraries/adapter';
import { baseline } from '../../bench/libraries/baseline';
import { breakwaterDecorator, breakwaterFunctional } from '../../bench/libraries/breakwater';
import { hand } from '../../bench/libraries/hand';
import { opossumAdapter } from '../../bench/libraries/opossum';
import { formatValue } from '../../bench/report/format';
import { markdownReport } from '../../bench/report/markdown';
import { chart } from '../../bench/report/svg';
import { textReport } from '../../bench/report/table';
import { checkTargets } from '../../bench/report/targets';
import type { BenchReport, NodeRun } from '../../bench/report/types';
import { EXPORTER_ROWS } from '../../bench/scenarios/exporter-cost';
import { SCENARIOS } from '../../bench/scenarios/index';
import { SCALES, type ScenarioResult } from '../../bench/scenarios/scenario';
import { describeOnce } from '../support/mode';

// A seconds-long pass over the bench harness, so `npm test` notices when it breaks. It checks
// shape, never speed. cockatiel 4 is ESM-only and jest runs CommonJS, so it is left out here;
// `npm run bench -- --smoke` runs the whole pipeline with it. Scenarios 9 and 10 need the
// compiled child script, so they too run only there.
const runOnce = describeOnce;

const libraries: readonly LibraryAdapter[] = [
  baseline,
  hand,
  opossumAdapter,
  breakwaterDecorator,
  breakwaterFunctional,
];
// Scenario 11 compares exporters, not libraries: its rows are checked on their own below. Scenario 12
// needs a redis-server and the compiled child script: `npm run bench -- --smoke` runs it.
const inProcess = SCENARIOS.filter(
  (s) => !['exit-on-idle', 'await-cost', 'exporter-cost', 'shared-state'].includes(s.id),
);

describe('bench statistics', () => {
  it('summarize gives median, quartiles and range of unsorted samples', () => {
    const s = summarize([5, 1, 4, 2, 3]);
    expect([s.median, s.min, s.max, s.p25, s.p75]).toEqual([3, 1, 5, 2, 4]);
    expect(s.spread).toBeCloseTo((4 - 2) / 2 / 3);
  });

  it('quantile interpolates between neighbours and is NaN for no samples', () => {
    expect(quantile([10, 20], 0.5)).toBe(15);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('interleave rotates the starting contender each round and drops warm-up rounds', async () => {
    const order: string[] = [];
    const contender = (id: string) => ({ id, sample: () => Promise.resolve(order.push(id)) });
    const samples = await interleave([contender('a'), contender('b'), contender('c')], { rounds: 2, warmupRounds: 1 });
    expect(order).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(samples.get('a')).toEqual([6, 8]);
  });

  it('formats values in readable units', () => {
    expect(formatValue(36, 'ns')).toBe('36 ns');
    expect(formatValue(4_100, 'ns')).toBe('4.10 µs');
    expect(formatValue(55_500_000, 'ns')).toBe('55.5 ms');
    expect(formatValue(485, 'bytes')).toBe('485 B');
  });
});

runOnce('bench harness smoke', () => {
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    for (const scenario of inProcess) {
      results.push(await scenario.run({ libraries, scale: SCALES.smoke, mode: 'smoke' }));
    }
  }, 60_000);

  it.each(inProcess.map((s) => s.id))('%s gives a finite median for every library that has it', (id) => {
    const result = results.find((r) => r.id === id)!;
    expect(result.rows.length).toBeGreaterThanOrEqual(3);
    for (const row of result.rows) {
      // The stack scenario adds the floor with an AsyncLocalStorage entry, the decorated stack's reference.
      expect([...libraries.map((l) => l.id), 'hand-als']).toContain(row.library);
      expect(Number.isFinite(row.summary?.median)).toBe(true);
      expect(row.summary?.samples).toHaveLength(id === 'idle-heap' ? SCALES.smoke.heapRounds : SCALES.smoke.rounds);
      if (id === 'idle-heap') expect(row.retained?.samples).toHaveLength(SCALES.smoke.heapRounds);
    }
  });

  it('exporter-cost times every subject with each exporter off and on, and states the ratios', async () => {
    const scenario = SCENARIOS.find((s) => s.id === 'exporter-cost')!;
    const result = await scenario.run({ libraries, scale: SCALES.smoke, mode: 'smoke' });
    expect(result.rows.map((r) => r.library)).toEqual(EXPORTER_ROWS);
    for (const row of result.rows) {
      expect(Number.isFinite(row.summary?.median)).toBe(true);
      expect(row.summary?.samples).toHaveLength(SCALES.smoke.rounds * 3);
    }
    expect(
      result.notes.filter((n) => / on: \d+\.\d\d× the call with no exporter, [+-]\d+ ns per call/.test(n)),
    ).toHaveLength(6);
    const text = textReport([{ node: process.version, v8: process.versions.v8, scenarios: [result] }], 2);
    expect(text).toContain('five-policy stack, Prometheus on');
  }, 60_000);

  it('leaves the library comparison and the targets out of a report whose scenarios compare no libraries', () => {
    // The committed run of scenario 12 alone: a baseline and its own rows, no peer and no target.
    const committed = JSON.parse(
      readFileSync(join(__dirname, '../../bench/results/shared-state/results.json'), 'utf8'),
    ) as BenchReport;
    const markdown = markdownReport(committed, 11);
    expect(markdown).not.toContain('| scenario |');
    expect(markdown).not.toContain('### Targets');
    expect(markdown).toMatch(/#### 12\. Shared state through Redis[^]*\| redis-strict \|/);
    expect(textReport(committed.runs, 11)).not.toContain('hand-written');
  });

  it('reports tables, targets and a chart from the results', () => {
    const run: NodeRun = { node: process.version, v8: process.versions.v8, scenarios: results };
    const report: BenchReport = {
      date: '2025-01-01T00:00:00.000Z',
      mode: 'smoke',
      machine: { cpu: 'test', cores: 1, memoryGiB: 1, os: 'test', loadAverage: [0, 0] },
      versions: { breakwater: 'test' },
      runs: [run],
    };
    const checks = checkTargets(run);
    // Every ratio target has both numbers for both paths except the ones against cockatiel.
    const stackChecks = checks.filter((c) => c.scenario === 'policy-stack' && c.notApplicable === undefined);
    expect(stackChecks.map((c) => typeof c.met)).toEqual(['boolean', 'boolean']);
    const closed = checks.filter((c) => c.scenario === 'closed-overhead');
    expect(closed.filter((c) => c.target.includes('cockatiel')).every((c) => c.met === undefined)).toBe(true);
    expect(closed.filter((c) => c.target.includes('hand-written')).map((c) => typeof c.met)).toEqual([
      'boolean',
      'boolean',
    ]);

    const text = textReport([run], SCALES.smoke.rounds);
    expect(text).toContain('Closed breaker');
    expect(text).toContain('breakwater functional');
    const markdown = markdownReport(report, SCALES.smoke.rounds);
    expect(markdown).toMatch(/^\| scenario \| `await fn\(\)` \| hand-written/m);
    expect(markdown).toContain('five-policy stack ≤ 1.5× hand-written');
    const svg = chart([run]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect /g)?.length).toBeGreaterThan(20);
  });
});
