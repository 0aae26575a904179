import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeOnce } from '../../support/mode';

// Child processes run once, in the `standard` jest project (the scripts are transpiled with
// standard decorators by fixtures/register-ts.cjs).

interface Report {
  baseline: number;
  /** Registry entries after each round was collected; the second value is during the first round. */
  counts: number[];
  /** Per-instance families still declared after each round was collected. */
  families: number[];
  /** Heap used after each round was collected, bytes. */
  heap: number[];
  keptListed: boolean;
  keptWorks: boolean;
}

const PER_ROUND = 5_000;

function run(kind: 'classes' | 'instances' | 'functional'): Report {
  const fixtures = join(__dirname, 'fixtures');
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '-r',
      join(fixtures, 'register-ts.cjs'),
      join(fixtures, 'class-factory-gc.ts'),
      kind,
      `${PER_ROUND}`,
    ],
    // A hang detector, not a timing assertion.
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

/** Growth of the heap over the rounds after the first (which warms up code and caches). */
function growth(report: Report): number {
  return report.heap[report.heap.length - 1]! - report.heap[1]!;
}

describeOnce('circuit breaker registry in a real process', () => {
  it.each(['classes', 'instances'] as const)(
    'forgets the default-named breakers of decorated %s that were collected, and keeps the live ones',
    (kind) => {
      const report = run(kind);
      // While a round's objects lived, each one's breaker was listed.
      expect(report.counts[1]).toBe(report.baseline + PER_ROUND);
      expect(report.counts.filter((_, i) => i !== 1)).toEqual(Array(6).fill(report.baseline));
      expect(report.families).toEqual(Array(6).fill(0));
      expect(report.keptListed).toBe(true);
      expect(report.keptWorks).toBe(true);
      // Held strongly, 4 × 5 000 breakers would add about 17 MB (880 bytes each were measured).
      expect(growth(report)).toBeLessThan(2 * 1024 * 1024);
    },
    150_000,
  );

  it('forgets disposed named functional breakers', () => {
    const report = run('functional');
    expect(report.counts).toEqual(Array(7).fill(report.baseline));
    expect(report.families).toEqual(Array(6).fill(0));
    expect(growth(report)).toBeLessThan(2 * 1024 * 1024);
  }, 150_000);
});
