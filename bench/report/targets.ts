import type { ScenarioResult } from '../scenarios/scenario.js';
import type { NodeRun } from './types.js';

/** One target of issue 6, checked for one breakwater path on one Node version. */
export interface TargetCheck {
  readonly scenario: string;
  readonly target: string;
  readonly path: 'bw-decorator' | 'bw-functional';
  /** breakwater's median, the reference median it is compared with, and their ratio (or bytes). */
  readonly value: number | undefined;
  readonly reference: number | undefined;
  readonly ratio: number | undefined;
  readonly met: boolean | undefined;
  /**
   * For a ratio target with a floor: the floor's own ratio to the reference. Above the allowed
   * ratio, the target cannot be met on this machine by any library (the floor does less work).
   */
  readonly floorRatio?: number;
  /** The library id of that floor. */
  readonly floor?: string;
  /** False when the floor alone misses the target: the proof that no library can meet it here. */
  readonly reachable?: boolean;
  /** Why the target does not apply to this path's row (then `met` is undefined). */
  readonly notApplicable?: string;
}

type Path = TargetCheck['path'];

interface TargetSpec {
  readonly scenario: string;
  readonly target: string;
  /** Peer to compare with and the largest allowed ratio; or an absolute limit on the value. */
  readonly against?: string;
  readonly maxRatio?: number;
  readonly maxValue?: number;
  readonly mustExit?: boolean;
  /** A row that does strictly less than any breaker must (e.g. `await fn()` with no breaker at all). */
  readonly floor?: string;
  /** Checks the row's `retained` bytes (scenario 5) instead of its median. */
  readonly retained?: boolean;
  /** Paths whose row measures something else than the target speaks of, and why. */
  readonly notFor?: Partial<Record<Path, string>>;
}

const SPECS: readonly TargetSpec[] = [
  // The issue reads this one as "about 50 ns here: within 1.5× of the hand-written floor".
  {
    scenario: 'closed-overhead',
    target: 'closed overhead ≤ 0.5× cockatiel',
    against: 'cockatiel',
    maxRatio: 0.5,
    floor: 'hand',
  },
  { scenario: 'closed-overhead', target: 'closed overhead ≤ 1.5× hand-written', against: 'hand', maxRatio: 1.5 },
  {
    scenario: 'closed-overhead',
    target: 'decorated breaker ≤ 1.3× functional',
    against: 'bw-functional',
    maxRatio: 1.3,
    notFor: { 'bw-functional': 'the reference itself' },
  },
  {
    scenario: 'policy-stack',
    target: 'five-policy stack ≤ 1.5× hand-written',
    against: 'hand',
    maxRatio: 1.5,
    notFor: { 'bw-decorator': 'judged against the floor plus one AsyncLocalStorage entry (next line)' },
  },
  {
    scenario: 'policy-stack',
    target: 'decorated five-policy stack ≤ 1.5× hand-written + AsyncLocalStorage',
    against: 'hand-als',
    maxRatio: 1.5,
    notFor: { 'bw-functional': 'it enters no AsyncLocalStorage: judged against the floor (line above)' },
  },
  { scenario: 'open-rejection', target: 'rejection while open ≤ 0.6× cockatiel', against: 'cockatiel', maxRatio: 0.6 },
  // Creating the Error dominates a failing call (`await fn()` alone is 0.6–0.8× cockatiel here).
  { scenario: 'failing-call', target: 'failing call ≤ 1.5× hand-written', against: 'hand', maxRatio: 1.5 },
  {
    scenario: 'idle-heap',
    target: '≤ 600 B per idle breaker with default options',
    maxValue: 600,
    notFor: { 'bw-decorator': "its row is a per-object breaker, `scope: 'instance'`" },
  },
  // A few bytes per breaker are the heap's own noise (peers with nothing to leak showed up to 13 B on
  // Node 20 in full runs; `--quick`, with half the breakers, 19–34 B: read this verdict from full
  // runs); anything a breaker could leave behind (a Map entry, a WeakRef, its name) is more.
  { scenario: 'idle-heap', target: 'dropped breakers free everything (≤ 16 B left)', maxValue: 16, retained: true },
  { scenario: 'concurrency', target: '10k concurrent ≤ 0.5× cockatiel', against: 'cockatiel', maxRatio: 0.5 },
  {
    scenario: 'trip-listener',
    target: 'trip → listener at parity with cockatiel or better',
    against: 'cockatiel',
    maxRatio: 1,
  },
  { scenario: 'exit-on-idle', target: 'process exits by itself', mustExit: true },
];

function median(result: ScenarioResult | undefined, id: string): number | undefined {
  return result?.rows.find((r) => r.library === id)?.summary?.median;
}

/** Every target for both breakwater paths; `met` is undefined when a number is missing. */
export function checkTargets(run: NodeRun): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const spec of SPECS) {
    const result = run.scenarios.find((s) => s.id === spec.scenario);
    for (const path of ['bw-decorator', 'bw-functional'] as const) {
      const row = result?.rows.find((r) => r.library === path);
      const value = spec.retained ? row?.retained?.median : row?.summary?.median;
      const common = { scenario: spec.scenario, target: spec.target, path, value };
      const notApplicable = spec.notFor?.[path];
      if (notApplicable !== undefined) {
        checks.push({ ...common, reference: undefined, ratio: undefined, met: undefined, notApplicable });
        continue;
      }
      if (spec.mustExit === true) {
        checks.push({ ...common, reference: undefined, ratio: undefined, met: row?.exited });
        continue;
      }
      if (spec.maxValue !== undefined) {
        const met = value === undefined ? undefined : value <= spec.maxValue;
        checks.push({ ...common, reference: spec.maxValue, ratio: undefined, met });
        continue;
      }
      const reference = median(result, spec.against!);
      const ratio = value === undefined || reference === undefined ? undefined : value / reference;
      const met = ratio === undefined ? undefined : ratio <= spec.maxRatio!;
      const floor = spec.floor === undefined ? undefined : median(result, spec.floor);
      const floorRatio = floor === undefined || reference === undefined ? undefined : floor / reference;
      checks.push({
        ...common,
        reference,
        ratio,
        met,
        ...(floorRatio !== undefined ? { floor: spec.floor, floorRatio, reachable: floorRatio <= spec.maxRatio! } : {}),
      });
    }
  }
  return checks;
}
