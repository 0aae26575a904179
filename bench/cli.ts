// The bench orchestrator (`npm run bench [-- --quick | --smoke] [--node 24,20] [--only ids] [--out dir]`).
// Runs every scenario in its own `node --expose-gc` process per Node version, then writes
// results.json, results.md and chart.svg and prints the table.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chart } from './report/svg.js';
import { markdownReport } from './report/markdown.js';
import { textReport } from './report/table.js';
import type { BenchReport, NodeRun } from './report/types.js';
import { SCENARIOS } from './scenarios/index.js';
import { SCALES, type Mode, type ScenarioResult } from './scenarios/scenario.js';
import type { SuiteOutput } from './suite.js';

const root = join(__dirname, '..', '..', '..');

interface Args {
  readonly mode: Mode;
  readonly nodes: readonly string[];
  readonly only: readonly string[] | undefined;
  readonly out: string;
}

const USAGE = 'expected --quick, --smoke, --node 24,20|current, --only <ids>, --out <dir>';

function readArgs(argv: readonly string[]): Args {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        smoke: { type: 'boolean' },
        node: { type: 'string' },
        only: { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; ${USAGE}`);
  }
  if (values.quick === true && values.smoke === true) throw new Error('--quick and --smoke: give one or the other');
  const only = values.only?.split(',');
  const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  return {
    mode: values.quick === true ? 'quick' : values.smoke === true ? 'smoke' : 'full',
    nodes: values.node?.split(',') ?? ['24', '20'],
    only,
    out: values.out ?? join(root, 'bench', 'results'),
  };
}

/** A Node binary of that major version: this process's own, /opt/node<major>, or `node` on PATH. */
function findNode(major: string): string {
  if (major === 'current') return process.execPath;
  const candidates = [
    process.env[`BENCH_NODE${major}`],
    process.execPath,
    `/opt/node${major}/node_modules/.bin/node`,
    'node',
  ];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const probe = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.trim().split('.')[0] === major) return candidate;
  }
  throw new Error(`no Node ${major} found (set BENCH_NODE${major} to its binary)`);
}

function version(pkg: string): string {
  const file = pkg === 'breakwater' ? join(root, 'package.json') : join(root, 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function gitRevision(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', 'lib'], { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${sha}+uncommitted lib/` : sha;
  } catch {
    return 'unknown';
  }
}

function runOnNode(node: string, args: Args, scratch: string): NodeRun {
  const scenarios: ScenarioResult[] = [];
  let breakwaterError: string | undefined;
  let nodeVersion = '';
  for (const scenario of SCENARIOS.filter((s) => args.only?.includes(s.id) ?? true)) {
    const out = join(scratch, `${scenario.id}.json`);
    const started = Date.now();
    const child = spawnSync(node, ['--expose-gc', join(__dirname, 'suite.js'), scenario.id, args.mode, out], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`scenario ${scenario.id} failed on ${node} (exit ${String(child.status)})`);
    const output = JSON.parse(readFileSync(out, 'utf8')) as SuiteOutput;
    nodeVersion = output.node;
    breakwaterError ??= output.breakwaterError;
    scenarios.push(output.result);
    process.stderr.write(`  ${output.node} ${scenario.id}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const v8 = spawnSync(node, ['-p', 'process.versions.v8'], { encoding: 'utf8' }).stdout.trim();
  return { node: nodeVersion, v8, scenarios, ...(breakwaterError !== undefined ? { breakwaterError } : {}) };
}

function main(): void {
  const args = readArgs(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), 'breakwater-bench-'));
  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  if (loadBefore > cpus().length) {
    process.stderr.write(
      `warning: load average ${loadBefore.toFixed(1)} on ${cpus().length} cores: other work will add noise\n`,
    );
  }
  try {
    const runs = args.nodes.map((major) => {
      const node = findNode(major);
      process.stderr.write(`bench (${args.mode}) on ${node}\n`);
      return runOnNode(node, args, scratch);
    });
    const report: BenchReport = {
      date: new Date().toISOString(),
      mode: args.mode,
      machine: {
        cpu: cpus()[0]?.model.trim() ?? 'unknown',
        cores: cpus().length,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        os: `${platform()} ${release()}`,
        loadAverage: [Number(loadBefore.toFixed(2)), Number(loadavg()[0]!.toFixed(2))],
      },
      versions: {
        breakwater: `${version('breakwater')} (${gitRevision()})`,
        cockatiel: version('cockatiel'),
        opossum: version('opossum'),
        typescript: version('typescript'),
      },
      runs,
    };
    const rounds = SCALES[args.mode].rounds;
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(args.out, 'results.md'), markdownReport(report, rounds));
    writeFileSync(join(args.out, 'chart.svg'), chart(runs));
    process.stdout.write(`${textReport(runs, rounds)}\n`);
    process.stderr.write(
      `\nwrote ${args.out}/results.{json,md} and chart.svg in ${((Date.now() - started) / 1000).toFixed(0)} s (free memory ${Math.round(freemem() / 2 ** 20)} MiB)\n`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
