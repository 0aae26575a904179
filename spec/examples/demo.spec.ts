import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parseDemoArgs, UsageError } from '../../examples/demo/cli.js';
import { comparisonRows, renderComparisonTable } from '../../examples/demo/comparison.js';
import {
  DEFAULT_TUNING,
  incidentOfDuration,
  PHASE_NAMES,
  phaseAt,
  phaseWindows,
  scriptedResponse,
} from '../../examples/demo/incident.js';
import { countEvent, emptyCounters, RateMeter } from '../../examples/demo/live-model.js';
import { phaseStory, renderPanel, renderStateChangeLine, type PanelFrame } from '../../examples/demo/live-render.js';
import type { CallRecord } from '../../examples/demo/load.js';
import { seededRandom } from '../../examples/demo/random.js';
import { renderReport } from '../../examples/demo/report-html.js';
import { renderTimelineSvg } from '../../examples/demo/report-svg.js';
import { demoSettings, PACED_USERS, THINK_MS, UnfitIncidentError } from '../../examples/demo/scale.js';
import { QUOTE_TIMEOUT_MS } from '../../examples/demo/settings.js';
import {
  errorsTheFallbackCouldAnswer,
  percentile,
  perSecond,
  stateSegments,
  summarize,
} from '../../examples/demo/stats.js';
import { openStream, get as httpGet } from '../integrations/dashboard/fixtures/sse-client.js';
import { describeOnce } from '../support/mode.js';

const record = (startMs: number, latencyMs: number, outcome: CallRecord['outcome'], item = 1): CallRecord =>
  outcome === 'error'
    ? { item, startMs, latencyMs, outcome, error: 'TimeoutError' }
    : { item, startMs, latencyMs, outcome };

describe('demo incident schedule', () => {
  it('splits any total over the five phases in order, summing exactly to the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (total) => {
        const phases = incidentOfDuration(total);
        expect(phases.map((p) => p.name)).toEqual([...PHASE_NAMES]);
        expect(phases.reduce((sum, p) => sum + p.durationMs, 0)).toBe(total);
        expect(phases.every((p) => p.durationMs >= 0)).toBe(true);
      }),
    );
  });

  it('rejects a total that is not a positive finite number, naming the value', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => incidentOfDuration(bad)).toThrow(new RegExp(`totalMs .* got ${bad}`));
    }
  });

  it('finds the phase playing at any time like a linear scan of contiguous windows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: -1_000, max: 30_000 }),
        (durations, at) => {
          const windows = phaseWindows(durations.map((durationMs, i) => ({ name: PHASE_NAMES[i]!, durationMs })));
          let start = 0;
          let expected = PHASE_NAMES.length - 1;
          for (let i = 0; i < durations.length; i += 1) {
            if (at < start + durations[i]!) {
              expected = i;
              break;
            }
            start += durations[i]!;
          }
          expect(phaseAt(windows, at).index).toBe(expected);
          windows.slice(1).forEach((w, i) => expect(w.startMs).toBe(windows[i]!.endMs));
        },
      ),
    );
  });

  it('answers 503 in the outage, 200 when healthy, and slower than the client timeout when slow', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 1_000; i += 1) {
      expect(scriptedResponse('outage', random).status).toBe(503);
      expect(scriptedResponse('healthy', random).status).toBe(200);
      expect(scriptedResponse('recovered', random).status).toBe(200);
      const slow = scriptedResponse('slow', random);
      expect(slow.status).toBe(200);
      expect(slow.delayMs).toBeGreaterThan(QUOTE_TIMEOUT_MS);
    }
  });

  it('fails about the configured share of requests in the flaky phase', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 10_000 }, () => scriptedResponse('flaky', random).status);
    const rate = draws.filter((s) => s === 503).length / draws.length;
    expect(Math.abs(rate - DEFAULT_TUNING.flakyErrorRate)).toBeLessThan(0.03);
  });

  it('replays the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number): number[] => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => random());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('demo stats', () => {
  it('computes the nearest-rank percentile: the smallest value with at least p % of values at or below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 100 }),
        (values, p) => {
          const naive = [...values]
            .sort((a, b) => a - b)
            .find((v) => values.filter((w) => w <= v).length >= (p / 100) * values.length);
          expect(percentile(values, p)).toBe(naive);
        },
      ),
    );
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 0)).toThrow(/p must be in \(0, 100\], got 0/);
  });

  it('summarises outcomes, error kinds and service calls per phase', () => {
    const records = [record(0, 10, 'fresh'), record(5, 1, 'stale'), record(9, 500, 'error'), record(12, 20, 'fresh')];
    const summary = summarize(records, { outage: 3, flaky: 2 });
    expect(summary).toMatchObject({ requests: 4, fresh: 2, stale: 1, errors: 1, errorKinds: { TimeoutError: 1 } });
    expect(summary.latencyMs).toEqual({ p50: 10, p99: 500 });
    expect(summary.serviceCalls).toEqual({ healthy: 0, flaky: 2, outage: 3, slow: 0, recovered: 0, total: 5 });
  });

  it('counts the errors a fallback could have answered: a fresh answer for the item came before', () => {
    const records = [
      record(0, 10, 'error', 1), // nothing known about item 1 yet
      record(5, 10, 'fresh', 1), // item 1 answered at 15 ms
      record(12, 5, 'error', 1), // started before that answer reached anyone: not counted
      record(20, 1, 'error', 1), // counted
      record(30, 1, 'error', 2), // item 2 never answered
      record(40, 1, 'stale', 1),
    ];
    expect(errorsTheFallbackCouldAnswer(records)).toBe(1);
    expect(errorsTheFallbackCouldAnswer([...records].reverse())).toBe(1);
  });

  it('buckets every request into exactly one second', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 12_000 })), (starts) => {
        const buckets = perSecond(
          starts.map((s) => record(s, 1, 'fresh')),
          10_000,
        );
        expect(buckets).toHaveLength(10);
        expect(buckets.reduce((sum, b) => sum + b.fresh, 0)).toBe(starts.length);
        for (const start of starts.filter((s) => s < 10_000)) {
          expect(buckets[Math.floor(start / 1_000)]!.fresh).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('turns ordered state changes into contiguous segments covering the run', () => {
    const segments = stateSegments(
      [
        { atMs: 4_000, to: 'open' },
        { atMs: 4_500, to: 'half_open' },
        { atMs: 4_510, to: 'closed' },
      ],
      10_000,
    );
    expect(segments.map((s) => [s.state, s.startMs, s.endMs])).toEqual([
      ['closed', 0, 4_000],
      ['open', 4_000, 4_500],
      ['half_open', 4_500, 4_510],
      ['closed', 4_510, 10_000],
    ]);
    expect(stateSegments([], 3_000)).toEqual([{ state: 'closed', startMs: 0, endMs: 3_000 }]);
  });
});

describe('demo settings fitted to the run', () => {
  it('keeps the limits the demo always had at its default size', () => {
    expect(demoSettings(incidentOfDuration(20_000), 10)).toEqual({
      timeoutMs: 500,
      resetBaseMs: 500,
      resetCapMs: 2_000,
      windowSize: 20,
      minimumCalls: 10,
      bulkhead: { maxConcurrent: 8, maxQueue: 8 },
      thinkMs: THINK_MS,
      catalogSize: 20,
      staleTtlMs: 80_000,
      tuning: { ...DEFAULT_TUNING, slowMs: [1_200, 1_800] },
    });
  });

  it('fits every accepted incident so that the story can be told, and refuses the others', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 100, max: 30_000 }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 1, max: 200 }),
        (durations, users) => {
          const phases = durations.map((durationMs, i) => ({ name: PHASE_NAMES[i]!, durationMs }));
          let settings;
          try {
            settings = demoSettings(phases, users);
          } catch (error) {
            expect(error).toBeInstanceOf(UnfitIncidentError);
            expect((error as Error).message).toMatch(
              /^this incident cannot tell the story: the (slow|recovered|outage)/,
            );
            return;
          }
          const [slow, recovered] = [durations[3]!, durations[4]!];
          // Slow answers time out, with room for two timeouts in the slow phase.
          expect(settings.tuning.slowMs[0]).toBeGreaterThan(settings.timeoutMs);
          expect(slow).toBeGreaterThanOrEqual(2 * settings.timeoutMs);
          // After a probe that timed out at the end of the slow phase, the longest reset timeout
          // still leaves time for two probes in the recovered phase.
          expect(recovered - settings.timeoutMs - settings.resetCapMs).toBeGreaterThanOrEqual(600);
          expect(settings.resetBaseMs).toBeLessThanOrEqual(settings.resetCapMs);
          expect(settings.minimumCalls).toBeLessThanOrEqual(settings.windowSize);
          expect(settings.catalogSize).toBeGreaterThanOrEqual(1);
          expect(settings.catalogSize).toBeLessThanOrEqual(20);
          expect(settings.bulkhead.maxConcurrent).toBeGreaterThanOrEqual(Math.ceil(users / 4));
          // Many users pace themselves: both clients together stay near their rate at PACED_USERS.
          expect(users / ((settings.thinkMs[0] + settings.thinkMs[1]) / 2)).toBeLessThanOrEqual(
            PACED_USERS / 100 + 1e-9,
          );
          expect(settings.staleTtlMs).toBeGreaterThan(durations.reduce((a, b) => a + b, 0));
        },
      ),
    );
  });
});

describe('demo comparison and report', () => {
  const protectedSummary = summarize([record(0, 2, 'fresh'), record(1, 0.1, 'stale')], { outage: 2 });
  const plainSummary = summarize([record(0, 30, 'fresh'), record(1, 9, 'error')], { outage: 40 });
  const rows = comparisonRows(protectedSummary, plainSummary);

  it('puts both clients side by side, outage calls included', () => {
    expect(rows.find((r) => r.label.includes('full outage'))).toEqual({
      label: '  during the full outage',
      protectedValue: '2',
      unprotectedValue: '40',
    });
    const lines = renderComparisonTable(rows).split('\n');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines).toHaveLength(rows.length + 4);
  });

  it('renders a self-contained HTML report with the timeline SVG and the table, escaping text', () => {
    const windows = phaseWindows(incidentOfDuration(10_000));
    const html = renderReport({
      generatedAt: '2030-01-01T00:00:00.000Z',
      users: 5,
      seed: 3,
      windows,
      breakers: [{ name: 'quotes<&>', segments: stateSegments([{ atMs: 4_000, to: 'open' }], 10_000) }],
      series: [{ label: 'with breakwater', buckets: perSecond([record(100, 1, 'fresh')], 10_000) }],
      comparison: rows,
      transitions: ['4.0 s, outage: closed → open (failure_rate)'],
      limits: 'protected client: 500 ms timeout per attempt',
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('protected client: 500 ms timeout per attempt');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain('<table>');
    expect(html).toContain('<td>  during the full outage</td><td class="n">2</td><td class="n">40</td>');
    expect(html).toContain('quotes&lt;&amp;&gt;');
    expect(html).not.toContain('quotes<&>');
    // One rect per phase and per state segment, at least.
    expect((html.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(windows.length + 2);
    // No external assets: no scripts, links, images or remote URLs other than the SVG namespace.
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(/);
    expect(html.replace('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
  });
});

describe('demo report timeline', () => {
  const windows = phaseWindows(incidentOfDuration(10_000));
  const segments = stateSegments(
    [
      { atMs: 4_000, to: 'open' },
      { atMs: 4_500, to: 'half_open' },
      { atMs: 4_503, to: 'open' },
      { atMs: 8_000, to: 'half_open' },
      { atMs: 8_004, to: 'closed' },
    ],
    10_000,
  );
  const svg = renderTimelineSvg(
    windows,
    [{ name: 'quotes', segments }],
    [{ label: 'with breakwater', buckets: perSecond([record(100, 1, 'fresh'), record(5_000, 1, 'error')], 10_000) }],
  );
  // Each rect with its fill and its tooltip.
  const rects = [
    ...svg.matchAll(/<rect [^>]*width="([\d.]+)"[^>]*fill="([^"]+)"[^>]*>(?:<title>([^<]*)<\/title>)?/g),
  ].map(([, width, fill, title]) => ({ width: Number(width), fill, title: title ?? '' }));
  const legendFills = (title: string, next: string): string[] => {
    const section = svg.slice(svg.indexOf(`>${title}:</text>`), next === '' ? undefined : svg.indexOf(next));
    return [...section.matchAll(/<rect [^>]*width="12"[^>]*fill="([^"]+)"/g)].map(([, fill]) => fill!);
  };

  it('has a legend for breaker states and another for request outcomes, sharing no colour', () => {
    const states = legendFills('breaker state', '>with breakwater</text>');
    const outcomes = legendFills('user requests', '');
    expect(states).toHaveLength(3); // closed, half-open, open: the states this run had
    expect(outcomes).toHaveLength(3); // fresh, stale, error
    expect(states.filter((fill) => outcomes.includes(fill))).toEqual([]);
    expect(svg).toContain('>open (rejecting)</text>');
    expect(svg).toContain('>error seen by the user</text>');
    // The phases are told apart by their labels too, but their tints are none of those colours either.
    const phases = rects.filter((r) => PHASE_NAMES.some((name) => r.title.startsWith(`${name}, `))).map((r) => r.fill);
    expect(phases).toHaveLength(5);
    expect(phases.filter((fill) => states.includes(fill!) || outcomes.includes(fill!))).toEqual([]);
  });

  it('draws a half-open moment of a few milliseconds wide enough to see, in the breaker row', () => {
    const halfOpen = rects.filter((r) => r.title.startsWith('half-open (probing), '));
    expect(halfOpen.map((r) => r.title)).toEqual([
      'half-open (probing), 4.50–4.50 s',
      'half-open (probing), 8.00–8.00 s',
    ]);
    expect(Math.min(...halfOpen.map((r) => r.width))).toBeGreaterThanOrEqual(4);
    expect(rects.filter((r) => r.title.startsWith('open (rejecting), ')).map((r) => r.title)).toEqual([
      'open (rejecting), 4.00–4.50 s',
      'open (rejecting), 4.50–8.00 s',
    ]);
  });
});

describe('demo command line', () => {
  it('uses the defaults when given nothing', () => {
    const options = parseDemoArgs([]);
    expect(options).toMatchObject({ users: 10, seed: 42, json: null, report: true });
    expect(options !== 'help' && options.phases.reduce((s, p) => s + p.durationMs, 0)).toBe(20_000);
  });

  it('reads every flag, in both spellings', () => {
    expect(parseDemoArgs(['--duration', '6', '--users=5', '--json', '--no-report', '--seed', '9'])).toMatchObject({
      users: 5,
      seed: 9,
      json: { to: 'stdout' },
      report: false,
    });
    expect(parseDemoArgs(['--json=reports/run.json'])).toMatchObject({
      json: { to: 'file', path: 'reports/run.json' },
    });
    const phased = parseDemoArgs(['--phases', '1,2,3,4,5']);
    expect(phased !== 'help' && phased.phases.map((p) => p.durationMs)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(parseDemoArgs(['--users', 'x', '--help'])).toBe('help');
  });

  it('reads --fleet alone, as a number of workers from 2 to 8', () => {
    expect(parseDemoArgs([])).toMatchObject({ fleet: null });
    expect(parseDemoArgs(['--fleet', '4'])).toMatchObject({ fleet: 4 });
    expect(() => parseDemoArgs(['--fleet', '9'])).toThrow('--fleet: expected an integer from 2 to 8, got "9"');
    expect(() => parseDemoArgs(['--fleet', '4', '--users', '3'])).toThrow(
      '--fleet: runs a scenario of its own, give it alone (got --fleet, --users)',
    );
  });

  it.each([
    [['--duration', 'abc'], '--duration: expected a number from 2 to 600, got "abc"'],
    [['--duration', '1'], '--duration: expected a number from 2 to 600, got "1"'],
    [['--users', '2.5'], '--users: expected an integer from 1 to 200, got "2.5"'],
    [['--users', ''], '--users: expected an integer from 1 to 200, got ""'],
    [['--users'], '--users: missing value'],
    [['--users', '--json'], '--users: missing value'],
    [['--seed', '-1'], '--seed: expected an integer from 0 to 4294967295, got "-1"'],
    [['--phases', '1,2'], '--phases: expected 5 comma-separated seconds'],
    [['--phases', '1,2,x,4,5'], '--phases (outage): expected a number from 0.1 to 600, got "x"'],
    [['--duration', '5', '--phases', '1,1,1,1,1'], '--duration and --phases: give one or the other'],
    [['--json', '--json'], '--json: given twice'],
    [['--verbose'], 'unknown argument "--verbose"'],
    [['--no-report=yes'], 'unknown argument "--no-report=yes"'],
    [['--json='], '--json=<path>: missing path'],
    [['--json', '--json=a.json'], '--json: given twice'],
    [['--duration', '4'], 'the recovered phase (0.8 s) must last at least 1 s for the breaker to close again'],
    [['--duration', '5', '--users', '1', '--phases', '1,1,1,1,1'], '--duration and --phases'],
    [['--phases', '1,1,0.5,1,1.5', '--users', '1'], 'the outage (0.5 s) gives 1 user about 3 calls'],
    [['--phases', '1,1,1,0.5,1.5'], 'the slow phase (0.5 s) must last at least 0.6 s'],
  ])('rejects %j with a precise message', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(UsageError);
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });
});

describe('demo live view model', () => {
  it('counts each event type and follows state changes', () => {
    const row = emptyCounters('quotes');
    const base = { at: 0, name: 'quotes' } as const;
    countEvent(row, { ...base, type: 'success', policy: 'circuitBreaker', duration: 1 });
    countEvent(row, { ...base, type: 'rejected', policy: 'circuitBreaker', state: 'open', retryAfter: 5 });
    countEvent(row, { ...base, type: 'retry', policy: 'retry', attempt: 1, delay: 5 });
    countEvent(row, { ...base, type: 'bulkhead_rejected', policy: 'bulkhead', reason: 'full', active: 8, queued: 8 });
    countEvent(row, {
      ...base,
      type: 'state_change',
      policy: 'circuitBreaker',
      from: 'closed',
      to: 'open',
      reason: 'failure_rate',
    });
    expect(row).toMatchObject({ state: 'open', success: 1, rejected: 1, retry: 1, bulkheadRejected: 1, failure: 0 });
  });

  it('measures a rate over the last second from a growing total', () => {
    const meter = new RateMeter();
    expect(meter.sample(0, 0)).toBe(0);
    expect(meter.sample(500, 50)).toBe(100);
    expect(meter.sample(1_000, 100)).toBe(100);
    // After a quiet second the old readings are gone and the rate drops.
    expect(meter.sample(2_000, 100)).toBe(0);
  });

  it('draws a plain panel without escape codes and a coloured one with them', () => {
    const windows = phaseWindows(incidentOfDuration(10_000));
    const frame: PanelFrame = {
      elapsedMs: 5_000,
      totalMs: 10_000,
      phase: phaseAt(windows, 5_000),
      windows,
      breakers: [{ counters: { ...emptyCounters('quotes'), state: 'half_open', rejected: 12 }, callsPerSecond: 40 }],
      bulkhead: { name: 'pool', active: 3, maxConcurrent: 8, queued: 2, maxQueue: 8 },
      clients: [{ label: 'protected', outcomes: { fresh: 1, stale: 2, error: 3 }, callsPerSecond: 9 }],
      color: false,
      story: phaseStory(demoSettings(incidentOfDuration(20_000), 10)),
    };
    const plain = renderPanel(frame).join('\n');
    expect(plain).not.toContain('\x1b[');
    expect(plain).toContain('HALF_OPEN');
    expect(plain).toContain('full outage');
    expect(plain).toContain('active 3/8  queued 2/8');
    expect(renderPanel({ ...frame, color: true }).join('\n')).toContain('\x1b[33mHALF_OPEN');
    expect(
      renderStateChangeLine(
        { name: 'quotes', from: 'closed', to: 'open', at: 0, reason: 'failure_rate' },
        4_160,
        'outage',
      ),
    ).toBe('[  4.2s] quotes: closed → open (failure_rate) during outage');
  });
});

// Runs the real demo once per test run, not once per decorator mode: each run is a whole process.
const endToEnd = describeOnce;

interface DemoRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runDemoProcess(args: readonly string[]): Promise<DemoRun> {
  const root = resolve(__dirname, '../..');
  // ts-node itself trips DEP0180 (fs.Stats) on Node 24; every other warning still fails the tests.
  const argv = ['--disable-warning=DEP0180', '-r', 'ts-node/register', 'examples/demo/main.ts', ...args];
  const env = { ...process.env, TS_NODE_PROJECT: 'examples/tsconfig.json' };
  return new Promise((done) => {
    execFile(process.execPath, argv, { cwd: root, env, timeout: 90_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

interface DemoSummary {
  durationMs: number;
  users: number;
  phases: { name: string }[];
  protected: ReturnType<typeof summarize> & { errorsTheFallbackCouldAnswer: number };
  unprotected: ReturnType<typeof summarize>;
  breaker: { name: string; finalState: string | null; transitions: { to: string; reason: string }[] };
  report: string | null;
  stoppedEarly: boolean;
}

endToEnd('demo end to end', () => {
  let work = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'breakwater-demo-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // Few and many users, short and long phases: every accepted combination must tell the whole story.
  // The first run prints its JSON on stdout (`--json`), the others write it to a file (`--json=<path>`).
  it.each([
    { args: ['--duration', '6', '--users', '3'], json: 'stdout', spares: false },
    { args: ['--duration', '6', '--users', '50'], json: 'file', spares: true },
    { args: ['--duration', '5', '--users', '1'], json: 'file', spares: false },
    { args: ['--phases', '1,1,1.5,1,2', '--users', '10', '--seed', '7'], json: 'file', spares: true },
  ] as const)(
    '$args: the breaker opens, closes again by the end, no user gets an error the fallback could answer',
    async ({ args, json, spares }) => {
      const path = join(work, `${args.join('_').replace(/[^\w.-]/g, '')}.json`);
      const jsonArg = json === 'stdout' ? '--json' : `--json=${path}`;
      const { code, stdout, stderr } = await runDemoProcess([...args, jsonArg, '--no-report']);
      if (code !== 0) throw new Error(`demo exited with ${code}\n${stderr}`);
      expect(stderr).not.toMatch(/Warning|Unhandled|unhandled/);
      let summary: DemoSummary;
      if (json === 'stdout') {
        // stdout carries the JSON alone (the people's output went to stderr).
        summary = JSON.parse(stdout) as DemoSummary;
        expect(stderr).toContain('with breakwater');
      } else {
        expect(stdout).toContain('with breakwater');
        expect(stdout).toContain(`JSON summary: ${path}`);
        summary = JSON.parse(readFileSync(path, 'utf8')) as DemoSummary;
      }
      expect(summary).toMatchObject({ report: null, stoppedEarly: false });
      expect(summary.phases.map((p) => p.name)).toEqual([...PHASE_NAMES]);
      for (const client of [summary.protected, summary.unprotected]) {
        expect(client.requests).toBeGreaterThan(0);
        expect(client.fresh + client.stale + client.errors).toBe(client.requests);
        expect(client.latencyMs.p50).toEqual(expect.any(Number));
      }
      // With a few users the breaker needs most of a short outage to judge the failure rate, and then
      // probes often (its reset timeout fits the short recovered phase): only larger runs spare it clearly.
      if (spares) {
        expect(summary.protected.serviceCalls.outage).toBeLessThan(summary.unprotected.serviceCalls.outage);
      }

      const states = summary.breaker.transitions.map((t) => `${t.to} (${t.reason})`);
      expect(states).toContain('open (failure_rate)');
      expect({ finalState: summary.breaker.finalState, states }).toMatchObject({ finalState: 'closed' });
      expect({
        couldAnswer: summary.protected.errorsTheFallbackCouldAnswer,
        errors: summary.protected.errorKinds,
      }).toMatchObject({ couldAnswer: 0 });
    },
    90_000,
  );

  it('refuses an incident too short to tell the story, saying what would do, with exit code 2', async () => {
    const { code, stdout, stderr } = await runDemoProcess(['--duration', '3', '--users', '2']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: this incident cannot tell the story: .*e\.g\. --duration \d/);
  }, 90_000);
});

describe('demo dashboard flags', () => {
  it('serves the dashboard with --dashboard, and keeps it up after the run with --serve (which implies it)', () => {
    expect(parseDemoArgs([])).toMatchObject({ dashboard: false, serve: false });
    expect(parseDemoArgs(['--dashboard'])).toMatchObject({ dashboard: true, serve: false });
    expect(parseDemoArgs(['--serve'])).toMatchObject({ dashboard: true, serve: true });
    expect(parseDemoArgs(['--dashboard', '--serve'])).toMatchObject({ dashboard: true, serve: true });
    expect(() => parseDemoArgs(['--serve=yes'])).toThrow('unknown argument "--serve=yes"');
    expect(() => parseDemoArgs(['--dashboard', '--dashboard'])).toThrow('--dashboard: given twice');
  });
});

interface DemoProcess {
  /** Resolves with the first match of `pattern` in what the demo printed for people (stderr with --json). */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  interrupt(): void;
  readonly exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startDemo(args: readonly string[]): DemoProcess {
  const child = spawn(
    process.execPath,
    ['--disable-warning=DEP0180', '-r', 'ts-node/register', 'examples/demo/main.ts', ...args],
    {
      cwd: resolve(__dirname, '../..'),
      env: { ...process.env, TS_NODE_PROJECT: 'examples/tsconfig.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const waiting = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    waiting.forEach((check) => check());
  });
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.once('close', (code) => {
      waiting.forEach((check) => check());
      done({ code, stdout, stderr });
    }),
  );
  return {
    exit,
    interrupt: () => child.kill('SIGINT'),
    waitForOutput: (pattern) =>
      new Promise((found, failed) => {
        const check = (): void => {
          const match = pattern.exec(stderr);
          if (match) {
            waiting.delete(check);
            found(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiting.delete(check);
            failed(new Error(`the demo ended without printing ${String(pattern)}:\n${stderr}`));
          }
        };
        waiting.add(check);
        check();
      }),
  };
}

async function firstSnapshot(url: string): Promise<{ breakers: any[]; bulkheads: any[]; timeline: any[] }> {
  const stream = await openStream(`${url}events`);
  try {
    const [snapshot] = await stream.waitFor((events) => events.length > 0);
    expect(snapshot!.event).toBe('snapshot');
    return JSON.parse(snapshot!.data);
  } finally {
    stream.close();
  }
}

endToEnd('demo with the live dashboard', () => {
  const DASHBOARD_URL = /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/;

  it('--dashboard serves the page and a snapshot while the incident plays, then exits by itself', async () => {
    const demo = startDemo(['--dashboard', '--duration', '6', '--users', '3', '--json', '--no-report']);
    try {
      const [, url] = await demo.waitForOutput(DASHBOARD_URL);
      const page = await httpGet(url!);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>breakwater demo</h1>');
      const snapshot = await firstSnapshot(url!);
      expect(snapshot.breakers.map((b) => b.name)).toContain('quotes');
    } finally {
      const { code, stdout, stderr } = await demo.exit;
      expect(stderr).not.toMatch(/Warning|Unhandled|unhandled|demo failed/);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ stoppedEarly: false, users: 3 });
    }
  }, 90_000);

  it('--serve keeps the dashboard up after the run, showing what happened, until Ctrl-C', async () => {
    const demo = startDemo(['--serve', '--duration', '6', '--users', '3', '--json', '--no-report']);
    try {
      const [, url] = await demo.waitForOutput(DASHBOARD_URL);
      await demo.waitForOutput(/stays up at .* press Ctrl-C to stop/);
      const snapshot = await firstSnapshot(url!);
      expect(snapshot.timeline.filter((c) => c.name === 'quotes').map((c) => c.to)).toContain('open');
      expect(snapshot.bulkheads.map((b) => b.name)).toContain('quotes-pool');
      expect((await httpGet(url!)).status).toBe(200);
      // The same port serves Prometheus's text format: the incident, counted, and the breaker closed again.
      const metrics = await httpGet(`${url!}metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain('breakwater_circuitbreaker_state{name="quotes",state="closed"} 1');
      expect(metrics.body).toMatch(/breakwater_circuitbreaker_not_permitted_calls_total\{name="quotes"[^}]*\} [1-9]/);
      expect((await httpGet(`${url!}nothing-here`)).status).toBe(404);
    } finally {
      demo.interrupt();
      const { code, stderr } = await demo.exit;
      expect(stderr).not.toMatch(/Warning|Unhandled|unhandled|demo failed/);
      expect(code).toBe(0);
    }
  }, 90_000);
});
