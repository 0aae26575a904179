import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFreshBuild, installInto, packInto, repoRoot, run, tsc } from '../support/package.js';
import { describeOnce } from '../support/mode.js';

// examples/nestjs: an orders API whose payments client breakwater protects, driven through real HTTP
// requests on loopback by its own main.ts, which checks each step and exits non-zero on a surprise.
// It runs from source (ts-node; `breakwater` resolves through the package's exports to dist/), then
// from the packed tarball in a fresh CommonJS app and a fresh ES module app compiled by tsc with
// Nest's decorator settings, and, where BREAKWATER_NEST12_DIR names a folder with Nest 12 installed
// (.ci/run makes one), as an ES module app on Nest 12, which ships ES modules only.
const exampleDir = join(repoRoot, 'examples/nestjs');
const NEST = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/terminus'];
const nest12 = process.env['BREAKWATER_NEST12_DIR'];

/** What the run must print: the story, in order. */
const STORY = [
  'Order ORD1: paid (TXN1)',
  'GET /health: 200 ok, breakers up',
  'Order ORD4: payment_pending (payments answered 503)',
  '[state] payments: closed -> open (failure_threshold)',
  'Order ORD7: payment_pending (circuit open)',
  'The provider got 6 requests for 4 orders during the outage.',
  'GET /health: 503 error, breakers down',
  'GET /metrics: payments open = true',
  '[state] payments: half_open -> closed (probe_succeeded)',
  'Order ORD8: paid (TXN4)',
  'GET /health: 200 ok, breakers up',
  'Payments charged: 4.',
];

function expectStory(stdout: string): void {
  let from = 0;
  for (const line of STORY) {
    const at = stdout.indexOf(line, from);
    if (at < 0) throw new Error(`expected "${line}" after position ${String(from)} in:\n${stdout}`);
    from = at + line.length;
  }
}

describeOnce('examples/nestjs', () => {
  let work = '';
  let tarball = '';

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'breakwater-nestjs-'));
    tarball = packInto(work).tarball;
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs from source', () => {
    ensureFreshBuild();
    const { stdout } = run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'main.ts'], exampleDir, {
      TS_NODE_PROJECT: 'tsconfig.json',
    });
    expectStory(stdout);
  }, 120_000);

  /** The example's sources compiled in a fresh app with the tarball installed; Nest from `nestModules`. */
  function runFromTarball(name: string, format: 'cjs' | 'esm', nestModules: string): string {
    const project = installInto(join(work, name), tarball, ['rxjs', 'reflect-metadata', '@types/node', 'prom-client']);
    for (const pkg of NEST) {
      mkdirSync(join(project, 'node_modules', pkg, '..'), { recursive: true });
      symlinkSync(join(nestModules, pkg), join(project, 'node_modules', pkg), 'dir');
    }
    mkdirSync(join(project, 'src'));
    for (const file of readdirSync(exampleDir).filter((f) => f.endsWith('.ts'))) {
      cpSync(join(exampleDir, file), join(project, 'src', file));
    }
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name, private: true, ...(format === 'esm' ? { type: 'module' } : {}) }),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          strict: true,
          skipLibCheck: true,
          types: ['node'],
          rootDir: 'src',
          outDir: 'out',
        },
        include: ['src'],
      }),
    );
    run(process.execPath, [tsc, '-p', project], project);
    return run(process.execPath, ['out/main.js'], project).stdout;
  }

  it.each(['cjs', 'esm'] as const)(
    'runs from the packed tarball in a fresh %s app',
    (format) => {
      expectStory(runFromTarball(`nest11-${format}`, format, join(repoRoot, 'node_modules')));
    },
    180_000,
  );

  // Nest 12 ships ES modules only: a CommonJS app loads it through Node's require(esm) (Node 20.19+).
  (nest12 ? it.each : it.skip.each)(['esm', 'cjs'] as const)(
    'runs from the packed tarball on Nest 12 (ES modules only) in a fresh %s app',
    (format) => {
      expectStory(runFromTarball(`nest12-${format}`, format, join(nest12 ?? '', 'node_modules')));
    },
    180_000,
  );
});
