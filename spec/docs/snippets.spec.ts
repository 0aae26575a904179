import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installInto, packInto, repoRoot, tsc, writeConsumerProject } from '../support/package.js';
import {
  expectedErrors,
  extractSnippets,
  renderModule,
  snippetModules,
  type RenderedModule,
  type SnippetModule,
} from './snippets.js';
import { describeOnce } from '../support/mode.js';

// The README's and every guide's ```ts snippets, as a new user would try them: pasted into one fresh
// ES module app (standard decorators) and one CommonJS app (`experimentalDecorators`, as NestJS
// projects have it), with the packed package installed and no network. Every snippet is
// type-checked (one tsc run per app, each snippet its own module); the runnable ones are then loaded
// one after the other in ONE process per app, so two pages declaring one breaker name with different
// options fail here as they would in that app; the Jest ones run under Jest. Directives that change
// this for one fence are described in spec/docs/snippets.ts. Packing is slow: the `standard` jest
// project runs this once per test run.

const SLOW = 300_000;
type Format = 'esm' | 'cjs';

const pages = [
  'README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const modules: SnippetModule[] = pages.flatMap((page) =>
  snippetModules(extractSnippets(readFileSync(join(repoRoot, page), 'utf8'), page)),
);
const compiled = modules.filter((m) => m.mode !== 'skip');
/** The modules one app compiles: the ES module app has standard decorators, so no NestJS ones. */
const compiledIn = (format: Format): SnippetModule[] =>
  compiled.filter((m) => format === 'cjs' || !m.experimentalDecorators);

// What a user of the snippets has installed: breakwater and its peers, Node's and Jest's types,
// for the "before" half of the migration guides, the libraries they migrate from, and the libraries the
// integration guides plug breakwater into.
const LINKED = [
  'rxjs',
  'reflect-metadata',
  '@types/node',
  '@types/jest',
  'cockatiel',
  'opossum',
  '@types/opossum',
  'prom-client',
  '@opentelemetry/api',
  '@opentelemetry/sdk-metrics',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/terminus',
  '@nestjs/testing',
  'redis',
  'ioredis',
];

const RUNNER = (format: Format): string => `
${
  format === 'esm'
    ? "import { writeFileSync } from 'node:fs';\nimport { config } from 'rxjs';"
    : "const { writeFileSync } = require('node:fs');\nconst { config } = require('rxjs');"
}
const ids = ${JSON.stringify(
  compiledIn(format)
    .filter((m) => m.mode === 'run')
    .map((m) => m.id),
)};
const results = [];
(async () => {
  for (const id of ids) {
    try {
      const loaded = ${format === 'esm' ? 'await import(`./snippets/${id}.js`)' : 'require(`./snippets/${id}.js`)'};
      await loaded.done;
      results.push({ id, error: null });
    } catch (error) {
      results.push({ id, error: String((error && error.stack) || error).split('\\n').slice(0, 4).join('\\n') });
    }
    // A snippet may route RxJS's unhandled errors to a logger; the next must not hide its own behind it.
    config.onUnhandledError = null;
  }
  writeFileSync('results.json', JSON.stringify(results));
  // Snippets of a service's start-up leave their servers and readers running, as they would in the
  // service: the runner ends the process once every snippet has run.
  process.exit(0);
})();
`;

interface App {
  readonly dir: string;
  readonly rendered: ReadonlyMap<string, RenderedModule>;
  /** tsc's diagnostics, mapped to the pages; tsc emits the JavaScript the runners load either way. */
  diagnostics: readonly Diagnostic[];
}

interface Diagnostic {
  /** The snippet module it is in; `undefined` for one outside the snippets (a config error). */
  readonly module: string | undefined;
  /** As tsc prints it, with the page line in place of the generated file's. */
  readonly text: string;
}

function fileOf(module: SnippetModule): string {
  return `snippets/${module.id}${module.mode === 'jest' ? '.test' : ''}.ts`;
}

/** The app's tsc diagnostics, each mapped back to the page line it came from. */
function typeCheck(app: App): Diagnostic[] {
  const result = spawnSync(process.execPath, [tsc, '-p', app.dir, '--pretty', 'false'], {
    cwd: app.dir,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.error) throw result.error;
  const out = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 && out.trim() === '') throw new Error(`tsc exited with ${String(result.status)}`);
  return out
    .split(/\n(?=\S)/)
    .filter((entry) => entry.trim() !== '')
    .map((entry) => {
      const match = /^snippets\/([\w-]+?)(?:\.test)?\.ts\((\d+),\d+\): ([\s\S]*)$/.exec(entry.trim());
      const source = match && app.rendered.get(match[1] ?? '')?.sources[Number(match[2]) - 1];
      const text = source ? `${source.file}:${String(source.line)}: ${match?.[3] ?? ''}` : entry.trim();
      return { module: match?.[1], text };
    });
}

/** The distinct `TSnnnn` codes of some diagnostics, sorted. */
function codes(diagnostics: readonly Diagnostic[]): string[] {
  return [...new Set(diagnostics.map((d) => /error (TS\d+)/.exec(d.text)?.[1] ?? d.text))].sort();
}

describeOnce('the snippets of the README and docs/', () => {
  let work = '';
  const apps = new Map<Format, App>();

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'breakwater-snippets-'));
    const { tarball } = packInto(work);
    for (const format of ['esm', 'cjs'] as const) {
      const dir = installInto(join(work, format), tarball, LINKED);
      mkdirSync(join(dir, 'snippets'));
      writeConsumerProject(
        dir,
        `snippets-${format}`,
        format,
        {
          types: ['node', 'jest'],
          skipLibCheck: true,
          esModuleInterop: true,
          ...(format === 'cjs' ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
        },
        { include: ['snippets'] },
      );
      const rendered = new Map<string, RenderedModule>();
      for (const module of compiledIn(format)) {
        const output = renderModule(module, format);
        rendered.set(module.id, output);
        writeFileSync(join(dir, fileOf(module)), output.code);
      }
      writeFileSync(join(dir, format === 'esm' ? 'run.mjs' : 'run.cjs'), RUNNER(format));
      const app: App = { dir, rendered, diagnostics: [] };
      app.diagnostics = typeCheck(app);
      apps.set(format, app);
    }
  }, SLOW);

  afterAll(() => {
    // KEEP_SNIPPETS=1 leaves the two apps in the temp folder, to rerun a snippet by hand.
    if (work && !process.env['KEEP_SNIPPETS']) rmSync(work, { recursive: true, force: true });
  });

  it('finds the snippets, and skips few of them, each for a stated reason', () => {
    expect(compiled.length).toBeGreaterThan(40);
    const skipped = modules.filter((m) => m.mode === 'skip');
    console.log(
      `${String(modules.length)} snippet modules from ${String(pages.length)} pages: ` +
        (['run', 'jest', 'compile-only', 'expect-errors', 'skip'] as const)
          .map((kind) => `${String(modules.filter((m) => m.mode === kind).length)} ${kind}`)
          .join(', '),
    );
    expect(skipped.length).toBeLessThanOrEqual(2);
  });

  describe.each([
    ['esm', 'an ES module app with standard decorators'],
    ['cjs', 'a CommonJS app with experimentalDecorators'],
  ] as const)('in %s (%s)', (format, _app) => {
    it(
      'type-checks every snippet',
      () => {
        const { diagnostics } = apps.get(format) as App;
        const mistakes = new Set(compiled.filter((m) => m.mode === 'expect-errors').map((m) => m.id));
        expect(diagnostics.filter((d) => d.module === undefined || !mistakes.has(d.module)).map((d) => d.text)).toEqual(
          [],
        );
      },
      SLOW,
    );

    it(
      'fails each snippet that shows a mistake with exactly the errors its page announces',
      () => {
        const { diagnostics } = apps.get(format) as App;
        const shown = compiledIn(format).filter((m) => m.mode === 'expect-errors');
        expect(shown.length).toBeGreaterThan(0);
        for (const module of shown) {
          const own = diagnostics.filter((d) => d.module === module.id);
          expect({ module: module.id, codes: codes(own) }).toEqual({
            module: module.id,
            codes: [...expectedErrors(module)].sort(),
          });
        }
      },
      SLOW,
    );

    it(
      'runs the runnable snippets one after the other in one process, none of them failing',
      () => {
        const app = apps.get(format) as App;
        const runner = format === 'esm' ? 'run.mjs' : 'run.cjs';
        const result = spawnSync(process.execPath, [runner], { cwd: app.dir, encoding: 'utf8', timeout: 120_000 });
        const printed = `${result.stdout}${result.stderr}`;
        if (result.status !== 0) throw new Error(`${runner} exited with ${String(result.status)}:\n${printed}`);
        const results = JSON.parse(readFileSync(join(app.dir, 'results.json'), 'utf8')) as {
          id: string;
          error: string | null;
        }[];
        const where = (id: string): string => {
          const first = modules.find((m) => m.id === id)?.blocks[0];
          return first ? `${first.file}:${String(first.line)}` : id;
        };
        expect(results.filter((r) => r.error !== null).map((r) => `${where(r.id)}: ${String(r.error)}`)).toEqual([]);
        expect(results.length).toBe(compiledIn(format).filter((m) => m.mode === 'run').length);
      },
      SLOW,
    );
  });

  it(
    'runs the Jest snippets under Jest (CommonJS app)',
    () => {
      const app = apps.get('cjs') as App;
      const jest = join(repoRoot, 'node_modules/jest/bin/jest.js');
      const config = { rootDir: app.dir, testEnvironment: 'node', testMatch: ['**/snippets/*.test.js'], transform: {} };
      const result = spawnSync(process.execPath, [jest, '--ci', '--config', JSON.stringify(config)], {
        cwd: app.dir,
        encoding: 'utf8',
        timeout: 180_000,
      });
      const printed = `${result.stdout}${result.stderr}`;
      if (result.status !== 0) throw new Error(`jest exited with ${String(result.status)}:\n${printed}`);
      const files = compiled.filter((m) => m.mode === 'jest').length;
      expect(printed).toMatch(new RegExp(`Test Suites: ${String(files)} passed, ${String(files)} total`));
    },
    SLOW,
  );
});
