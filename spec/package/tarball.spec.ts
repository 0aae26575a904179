import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  EXPORTER_PEERS,
  METRICS_CONSUMER_OUTPUT,
  METRICS_CONSUMER_SOURCE,
  PEER_LOADS_CJS,
  PEER_LOADS_ESM,
  PEER_LOADS_OUTPUT,
  RESOLVE_RECORDER_HOOKS,
} from './metrics-consumer';

// What a user gets from `npm install breakwater`: the packed tarball, installed into fresh projects
// (ES modules and CommonJS, each compiled with both decorator modes), plus attw and publint on it.
// Packing is slow and may rebuild dist/, so only the `standard` jest project runs it.
const mode = (globalThis as { BREAKWATER_DECORATOR_MODE?: string }).BREAKWATER_DECORATOR_MODE;
const describeOnce = mode === 'standard' ? describe : describe.skip;

const repoRoot = resolve(__dirname, '../..');
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
const SLOW = 300_000;

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; a non-zero exit fails the test with everything it printed. */
function run(command: string, args: readonly string[], cwd: string): RunResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  const printed = `$ ${command} ${args.join(' ')}\n${result.stdout}${result.stderr}`;
  if (result.error) throw new Error(`${printed}\n${result.error.message}`);
  if (result.status !== 0) throw new Error(`${printed}\nexited with ${String(result.status ?? result.signal)}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Runs a script of an installed package on the Node that runs jest (so the Node 24 CI run uses Node 24). */
function runNode(script: string, args: readonly string[], cwd: string): RunResult {
  return run(process.execPath, [script, ...args], cwd);
}

/**
 * Builds unless dist/ is newer than everything it is built from. `npm test` builds before jest, and other
 * specs load dist/ in parallel with this one, so rebuilding only when stale keeps them from racing a build.
 */
function ensureFreshBuild(): void {
  const builtAt = statSync(join(repoRoot, 'dist/cjs/package.json'), { throwIfNoEntry: false })?.mtimeMs;
  const inputs = [
    ...readdirSync(join(repoRoot, 'lib'), { recursive: true, encoding: 'utf8' }).map((file) => join('lib', file)),
    ...readdirSync(repoRoot).filter((file) => /^tsconfig(\.build(\.\w+)?)?\.json$/.test(file)),
    '.ci/build.mjs',
  ];
  const newestInput = Math.max(
    ...inputs.map((file) => statSync(join(repoRoot, file), { throwIfNoEntry: false })?.mtimeMs ?? 0),
  );
  if (builtAt === undefined || newestInput > builtAt) run('npm', ['run', 'build', '--silent'], repoRoot);
}

interface PackedFile {
  path: string;
}
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

type ModuleFormat = 'esm' | 'cjs';
type DecoratorMode = 'standard' | 'legacy';

// Compiled by the consumer's own tsc run; the circuit must open after two failures and reject the third
// call without running the method.
const CONSUMER_SOURCE = `
import { CircuitBreaker, CircuitOpenError, getCircuitBreaker, isCircuitOpenError } from 'breakwater';

class Inventory {
  calls = 0;

  @CircuitBreaker({ name: 'tarball-inventory', failureThreshold: 2 })
  async reserve(sku: string): Promise<string> {
    this.calls += 1;
    throw new Error('inventory down for ' + sku);
  }
}

async function settle(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (error) {
    return error;
  }
}

async function main(): Promise<void> {
  const inventory = new Inventory();
  const outcomes = [await settle(inventory.reserve('a')), await settle(inventory.reserve('b'))];
  const third = await settle(inventory.reserve('c'));
  const report = {
    messages: outcomes.map((outcome) => (outcome instanceof Error ? outcome.message : String(outcome))),
    firstIsCircuitOpen: isCircuitOpenError(outcomes[0]),
    thirdIsInstance: third instanceof CircuitOpenError,
    thirdIsCircuitOpen: isCircuitOpenError(third),
    code: isCircuitOpenError(third) ? third.code : null,
    breakerName: isCircuitOpenError(third) ? third.breakerName : null,
    calls: inventory.calls,
    state: getCircuitBreaker('tarball-inventory')?.state ?? null,
    unknownBreaker: getCircuitBreaker('tarball-no-such-breaker') ?? null,
  };
  process.stdout.write(JSON.stringify(report));
}

void main();
`;

// One process loading the package both ways, as an ES module app with a CommonJS dependency does: Node
// gives each build its own module state, and the two copies must still be one registry and one event
// stream. Plain JavaScript, so no compiler stands between the test and Node's own loaders.
const DUAL_SOURCE = `
'use strict';
const viaRequire = require('breakwater');

async function main() {
  const viaImport = await import('breakwater');
  const changes = [];
  const reverseChanges = [];
  viaRequire.stateChanges$.subscribe((c) => changes.push(c.name + ':' + c.from + '->' + c.to));
  viaImport.stateChanges$.subscribe((c) => reverseChanges.push(c.name + ':' + c.from + '->' + c.to));

  const created = viaImport.circuitBreaker({ name: 'shared', failureThreshold: 1 });
  await created.execute(() => { throw new Error('payments down'); }).catch(() => undefined);
  const found = viaRequire.getCircuitBreaker('shared');
  const again = viaRequire.circuitBreaker({ name: 'shared', failureThreshold: 1 });
  const rejection = await again.execute(() => 'not run').catch((error) => error);

  const fromRequire = viaRequire.circuitBreaker({ name: 'shared-from-cjs', failureThreshold: 1 });
  await fromRequire.execute(() => { throw new Error('inventory down'); }).catch(() => undefined);

  process.stdout.write(JSON.stringify({
    twoCopies: viaRequire.circuitBreaker !== viaImport.circuitBreaker,
    errorClassesDiffer: viaRequire.CircuitOpenError !== viaImport.CircuitOpenError,
    otherCopyState: found === undefined ? null : found.state,
    otherCopyChanges: changes.filter((c) => c.startsWith('shared:')),
    sameBreaker: again === created,
    sameBreakerState: again.state,
    rejectionMessage: rejection instanceof Error ? rejection.message : String(rejection),
    otherCopyRecognises: viaRequire.isCircuitOpenError(rejection),
    otherCopyInstanceof: rejection instanceof viaRequire.CircuitOpenError,
    reverseState: viaImport.getCircuitBreaker('shared-from-cjs')?.state ?? null,
    reverseChanges: reverseChanges.filter((c) => c.startsWith('shared-from-cjs:')),
  }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exitCode = 1;
});
`;

describeOnce('the published package', () => {
  let work = '';
  let tarball = '';
  let packed: PackResult;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'breakwater-pack-'));
    ensureFreshBuild();
    // dist/ is fresh; --ignore-scripts keeps `prepack` from building it again.
    const { stdout } = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], repoRoot);
    const results = JSON.parse(stdout) as PackResult[];
    expect(results).toHaveLength(1);
    packed = results[0] as PackResult;
    tarball = join(work, packed.filename);
    console.log(
      `breakwater tarball ${packed.filename}: ${String(packed.size)} bytes packed, ` +
        `${String(packed.unpackedSize)} bytes unpacked, ${String(packed.files.length)} files`,
    );
  }, SLOW);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships the two builds, the package.json files that name their formats, and no sources or maps', () => {
    const paths = packed.files.map((file) => file.path).sort();
    const allowed =
      /^(package\.json|README(\.md)?|LICEN[CS]E(\.\w+)?|dist\/(esm|cjs)\/.+\.(js|d\.ts)|dist\/(esm|cjs)\/package\.json)$/;
    expect(paths.filter((path) => !allowed.test(path))).toEqual([]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/esm/index.js',
        'dist/esm/index.d.ts',
        'dist/esm/package.json',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/cjs/package.json',
      ]),
    );
    expect(JSON.parse(readFileSync(join(repoRoot, 'dist/esm/package.json'), 'utf8'))).toEqual({ type: 'module' });
    expect(JSON.parse(readFileSync(join(repoRoot, 'dist/cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('has types that resolve for every entry point: node10, node16 (import and require) and bundlers (attw)', () => {
    // node10 too: TypeScript's default resolution for `module: commonjs` (NestJS projects, for one);
    // its subpaths resolve through `typesVersions`.
    const attw = join(repoRoot, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    const { stdout } = runNode(
      attw,
      [tarball, '--no-definitely-typed', '--format', 'ascii', '--no-color', '--no-emoji'],
      work,
    );
    expect(stdout).toMatch(/No problems found/);
    for (const entry of ['"breakwater/prometheus"', '"breakwater/opentelemetry"']) expect(stdout).toContain(entry);
  });

  it('passes publint, warnings counting as errors', () => {
    // publint exits non-zero on errors (and, with --strict, on warnings); suggestions are only printed.
    const publint = join(repoRoot, 'node_modules/publint/src/cli.js');
    const { stdout } = runNode(publint, ['run', tarball, '--strict'], work);
    expect(stdout).not.toMatch(/^(Errors|Warnings):/m);
  });

  /** A fresh project folder with the tarball installed, and the peers linked from this repo (no network). */
  function installInto(name: string): string {
    const project = join(work, name);
    const modules = join(project, 'node_modules');
    mkdirSync(join(modules, '@types'), { recursive: true });
    run('tar', ['-xzf', tarball, '-C', project], project);
    renameSync(join(project, 'package'), join(modules, 'breakwater'));
    for (const dependency of ['rxjs', 'reflect-metadata', '@types/node', ...EXPORTER_PEERS]) {
      symlinkSync(join(repoRoot, 'node_modules', dependency), join(modules, dependency), 'dir');
    }
    return project;
  }

  const matrix: [ModuleFormat, DecoratorMode][] = [
    ['esm', 'standard'],
    ['esm', 'legacy'],
    ['cjs', 'standard'],
    ['cjs', 'legacy'],
  ];

  it.each(matrix)(
    'works when installed into a fresh %s project compiled with %s decorators',
    (format, decorators) => {
      const project = installInto(`${format}-${decorators}`);

      const source = format === 'esm' ? 'check.mts' : 'check.ts';
      const output = format === 'esm' ? 'check.mjs' : 'check.js';
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: `consumer-${format}`, private: true, ...(format === 'esm' ? { type: 'module' } : {}) }),
      );
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2022'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: ['node'],
            strict: true,
            // Our .d.ts files are checked as a user's compiler sees them: once per module format, since
            // the decorator mode does not change them and checking every .d.ts costs seconds.
            skipLibCheck: decorators === 'legacy',
            ...(decorators === 'legacy' ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
          },
          files: [source],
        }),
      );
      writeFileSync(join(project, source), CONSUMER_SOURCE);

      runNode(tsc, ['-p', project, '--pretty', 'false'], project);
      const emitted = readFileSync(join(project, output), 'utf8');
      expect(emitted).toContain(format === 'esm' ? "from 'breakwater'" : 'require("breakwater")');

      // A background timer left by the library would keep this process alive until the run timeout.
      const { stdout } = runNode(join(project, output), [], project);
      expect(JSON.parse(stdout)).toEqual({
        messages: ['inventory down for a', 'inventory down for b'],
        firstIsCircuitOpen: false,
        thirdIsInstance: true,
        thirdIsCircuitOpen: true,
        code: 'ERR_CIRCUIT_OPEN',
        breakerName: 'tarball-inventory',
        calls: 2,
        state: 'open',
        unknownBreaker: null,
      });
    },
    SLOW,
  );

  it(
    'shares breakers and global streams between its ESM and CommonJS builds loaded in one process',
    () => {
      const project = installInto('dual');
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer-dual', private: true }));
      writeFileSync(join(project, 'check.cjs'), DUAL_SOURCE);
      const { stdout } = runNode(join(project, 'check.cjs'), [], project);
      expect(JSON.parse(stdout)).toEqual({
        twoCopies: true,
        errorClassesDiffer: true,
        otherCopyState: 'open',
        otherCopyChanges: ['shared:closed->open'],
        sameBreaker: true,
        sameBreakerState: 'open',
        rejectionMessage: expect.stringContaining('shared') as unknown,
        otherCopyRecognises: true,
        otherCopyInstanceof: true,
        reverseState: 'open',
        reverseChanges: ['shared-from-cjs:closed->open'],
      });
    },
    SLOW,
  );
  it.each(['esm', 'cjs'] as const)(
    'exports Prometheus and OpenTelemetry metrics from a fresh %s project',
    (format) => {
      const project = installInto(`metrics-${format}`);
      const source = format === 'esm' ? 'metrics.mts' : 'metrics.ts';
      const output = format === 'esm' ? 'metrics.mjs' : 'metrics.js';
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: `metrics-${format}`, private: true, ...(format === 'esm' ? { type: 'module' } : {}) }),
      );
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2022'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: ['node'],
            strict: true,
            // Our integrations' .d.ts files, and the peers' they import, checked as a user's compiler sees them.
            skipLibCheck: false,
          },
          files: [source],
        }),
      );
      writeFileSync(join(project, source), METRICS_CONSUMER_SOURCE);
      runNode(tsc, ['-p', project, '--pretty', 'false'], project);
      const { stdout } = runNode(join(project, output), [], project);
      expect(JSON.parse(stdout)).toEqual(METRICS_CONSUMER_OUTPUT);
    },
    SLOW,
  );

  it(
    'loads neither prom-client nor @opentelemetry/api for `breakwater` alone, through require or import',
    () => {
      const project = installInto('peer-loads');
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'peer-loads', private: true }));
      writeFileSync(join(project, 'loads.cjs'), PEER_LOADS_CJS);
      writeFileSync(join(project, 'loads.mjs'), PEER_LOADS_ESM);
      writeFileSync(join(project, 'record-resolves.mjs'), RESOLVE_RECORDER_HOOKS);
      expect(JSON.parse(runNode(join(project, 'loads.cjs'), [], project).stdout)).toEqual(PEER_LOADS_OUTPUT);
      expect(JSON.parse(runNode(join(project, 'loads.mjs'), [], project).stdout)).toEqual(PEER_LOADS_OUTPUT);
    },
    SLOW,
  );
});
