import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
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
import { renderPanel, renderStateChangeLine, type PanelFrame } from '../../examples/demo/live-render.js';
import type { CallRecord } from '../../examples/demo/load.js';
import { seededRandom } from '../../examples/demo/random.js';
import { renderReport } from '../../examples/demo/report-html.js';
import { QUOTE_TIMEOUT_MS } from '../../examples/demo/settings.js';
import { percentile, perSecond, stateSegments, summarize } from '../../examples/demo/stats.js';
import { openStream, get as httpGet } from '../integrations/dashboard/fixtures/sse-client.js';

declare const BREAKWATER_DECORATOR_MODE: 'standard' | 'legacy';

const record = (startMs: number, latencyMs: number, outcome: CallRecord['outcome']): CallRecord =>
  outcome === 'error' ? { startMs, latencyMs, outcome, error: 'TimeoutError' } : { startMs, latencyMs, outcome };

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
    });
    expect(html).toMatch(/^<!doctype html>/);
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

describe('demo command line', () => {
  it('uses the defaults when given nothing', () => {
    const options = parseDemoArgs([]);
    expect(options).toMatchObject({ users: 10, seed: 42, json: false, report: true });
    expect(options !== 'help' && options.phases.reduce((s, p) => s + p.durationMs, 0)).toBe(20_000);
  });

  it('reads every flag, in both spellings', () => {
    expect(parseDemoArgs(['--duration', '4', '--users=5', '--json', '--no-report', '--seed', '9'])).toMatchObject({
      users: 5,
      seed: 9,
      json: true,
      report: false,
    });
    const phased = parseDemoArgs(['--phases', '1,2,3,4,5']);
    expect(phased !== 'help' && phased.phases.map((p) => p.durationMs)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(parseDemoArgs(['--users', 'x', '--help'])).toBe('help');
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
    [['--json=yes'], 'unknown argument "--json=yes"'],
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

// Runs the real demo once per test run, not once per decorator mode: it is a whole process.
const endToEnd = BREAKWATER_DECORATOR_MODE === 'standard' ? describe : describe.skip;

endToEnd('demo end to end', () => {
  it('runs briefly, prints a JSON summary, exits 0, and spares the service during the outage', async () => {
    const root = resolve(__dirname, '../..');
    // On failure the rejection's message carries the child's stderr.
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        // ts-node itself trips DEP0180 (fs.Stats) on Node 24; every other warning still fails the test.
        '--disable-warning=DEP0180',
        '-r',
        'ts-node/register',
        'examples/demo/main.ts',
        '--duration',
        '4',
        '--users',
        '5',
        '--json',
        '--no-report',
      ],
      { cwd: root, env: { ...process.env, TS_NODE_PROJECT: 'examples/tsconfig.json' }, timeout: 60_000 },
    );
    expect(stderr).not.toMatch(/Warning|Unhandled|unhandled/);
    const summary = JSON.parse(stdout) as Record<string, unknown> & {
      protected: ReturnType<typeof summarize>;
      unprotected: ReturnType<typeof summarize>;
      breaker: { name: string; transitions: { to: string }[] };
    };
    expect(summary).toMatchObject({ durationMs: 4_000, users: 5, report: null, stoppedEarly: false });
    expect((summary['phases'] as { name: string }[]).map((p) => p.name)).toEqual([...PHASE_NAMES]);
    for (const client of [summary.protected, summary.unprotected]) {
      expect(client.requests).toBeGreaterThan(0);
      expect(client.fresh + client.stale + client.errors).toBe(client.requests);
      expect(client.latencyMs.p50).toEqual(expect.any(Number));
      expect(client.serviceCalls.total).toBeGreaterThan(0);
    }
    expect(summary.breaker.transitions.map((t) => t.to)).toContain('open');
    expect(summary.protected.serviceCalls.outage).toBeLessThan(summary.unprotected.serviceCalls.outage);
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
    const demo = startDemo(['--dashboard', '--duration', '4', '--users', '3', '--json', '--no-report']);
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
    const demo = startDemo(['--serve', '--duration', '4', '--users', '3', '--json', '--no-report']);
    try {
      const [, url] = await demo.waitForOutput(DASHBOARD_URL);
      await demo.waitForOutput(/stays up at .* press Ctrl-C to stop/);
      const snapshot = await firstSnapshot(url!);
      expect(snapshot.timeline.filter((c) => c.name === 'quotes').map((c) => c.to)).toContain('open');
      expect(snapshot.bulkheads.map((b) => b.name)).toContain('quotes-pool');
      expect((await httpGet(url!)).status).toBe(200);
    } finally {
      demo.interrupt();
      const { code, stderr } = await demo.exit;
      expect(stderr).not.toMatch(/Warning|Unhandled|unhandled|demo failed/);
      expect(code).toBe(0);
    }
  }, 90_000);
});
