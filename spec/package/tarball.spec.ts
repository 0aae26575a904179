import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import {
  installInto,
  packInto,
  repoRoot,
  runNode,
  tsc,
  writeConsumerProject,
  type ModuleFormat,
  type PackResult,
} from '../support/package.js';
import {
  EXPORTER_PEERS,
  METRICS_CONSUMER_OUTPUT,
  METRICS_CONSUMER_SOURCE,
  PEER_LOADS_CJS,
  PEER_LOADS_ESM,
  PEER_LOADS_OUTPUT,
  RESOLVE_RECORDER_HOOKS,
} from './metrics-consumer';
import { REDIS_INSTALL_HINT, redisServerPath, startRedis } from '../../examples/fleet/redis-server';
import { describeOnce } from '../support/mode.js';

// What a user gets from `npm install breakwater`: the packed tarball, installed into fresh projects
// (ES modules and CommonJS, each compiled with both decorator modes), plus attw and publint on it.
// Packing is slow and may rebuild dist/, so only the `standard` jest project runs it.

const SLOW = 300_000;

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

// `breakwater/dashboard` from a fresh project: its types resolve (the consumer's tsc compiles this), it
// serves the page and the first snapshot over loopback, and after close() nothing keeps the process alive.
const DASHBOARD_SOURCE = `
import { get } from 'node:http';
import { circuitBreaker } from 'breakwater';
import { dashboardHandler, serveDashboard, type DashboardServer } from 'breakwater/dashboard';

interface Read {
  status: number;
  type: string;
  csp: string;
  text: string;
}

function read(url: string, enough: (text: string) => boolean): Promise<Read> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false }, (res) => {
      let text = '';
      const done = (): void => {
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          csp: String(res.headers['content-security-policy']),
          text,
        });
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (enough(text)) {
          done();
          req.destroy();
        }
      });
      res.on('end', done);
    });
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const breaker = circuitBreaker({ name: 'tarball-dashboard', failureThreshold: 1 });
  await breaker.execute(async () => Promise.reject(new Error('down'))).catch(() => undefined);
  const handler = dashboardHandler({ path: '/ops' });
  handler.close();
  const server: DashboardServer = await serveDashboard({ title: 'tarball' });
  try {
    const page = await read(server.url, () => false);
    const events = await read(server.url + 'events', (text) => text.includes('\\n\\n'));
    const data = events.text.split('\\n').find((line) => line.startsWith('data: ')) ?? 'data: {}';
    const snapshot = JSON.parse(data.slice('data: '.length)) as { breakers?: { name: string; state: string }[] };
    process.stdout.write(
      JSON.stringify({
        loopbackUrl: /^http:\\/\\/127\\.0\\.0\\.1:\\d+\\/$/.test(server.url),
        page: [page.status, page.type, page.text.includes('<title>tarball · breakwater dashboard</title>')],
        strictCsp: page.csp.startsWith("default-src 'none'; script-src 'sha256-"),
        events: [events.status, events.type, events.text.startsWith('retry: ')],
        breaker: snapshot.breakers?.find((b) => b.name === 'tarball-dashboard') ?? null,
        handlerClients: handler.clients,
      }),
    );
  } finally {
    await server.close();
  }
}

void main();
`;

/** Markdown without its fenced code blocks, line breaks kept (so line numbers stay right). */
function withoutFences(markdown: string): string {
  return markdown.replace(/^( *)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ''));
}

/** The links of a page that point into the package (no scheme), with their line numbers. */
function relativeLinks(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  withoutFences(markdown)
    .replace(/(`+)[^`\n]*?\1/g, '')
    .split('\n')
    .forEach((text, i) => {
      for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|href="([^"]+)"/g)) {
        const target = match[1] ?? match[2] ?? '';
        if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ target, line: i + 1 });
      }
    });
  return links;
}

/** The anchors GitHub and npm give a page's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading = ''] of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${String(count)}`);
  }
  return slugs;
}

/** A consumer of breakwater/redis: a breaker opened through a real Redis, read back from the hash. */
const REDIS_CONSUMER_SOURCE = `
import { createClient } from 'redis';
import { circuitBreaker, isCircuitOpenError } from 'breakwater';
import { redisStore } from 'breakwater/redis';

async function main(): Promise<void> {
  const client = createClient({ url: process.env['REDIS_URL'] });
  client.on('error', () => undefined);
  await client.connect();
  // Room for the first call, which also connects the store's listener, on a loaded machine.
  const store = redisStore(client, { prefix: 'tarball:', commandTimeout: 2000 });
  const breaker = circuitBreaker({ name: 'payments', store, failureThreshold: 2 });
  for (let i = 0; i < 2; i++) await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
  for (let i = 0; i < 100 && breaker.state !== 'open'; i++) await new Promise((done) => setTimeout(done, 10));
  const rejected = await breaker.execute(() => Promise.resolve(1)).then(() => false, (e: unknown) => isCircuitOpenError(e));
  const hash = await client.hGetAll('tarball:{payments}:cb');
  process.stdout.write(JSON.stringify({ state: breaker.state, shared: hash['st'], reason: hash['why'], rejected }));
  breaker.dispose();
  await store.close();
  await client.quit();
}
void main();
`;

describeOnce('the published package', () => {
  let work = '';
  let tarball = '';
  let packed: PackResult;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'breakwater-pack-'));
    ({ packed, tarball } = packInto(work));
    console.log(
      `breakwater tarball ${packed.filename}: ${String(packed.size)} bytes packed, ` +
        `${String(packed.unpackedSize)} bytes unpacked, ${String(packed.files.length)} files`,
    );
  }, SLOW);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships the two builds, the package.json files that name their formats, the guides and their images, and no sources or maps', () => {
    const paths = packed.files.map((file) => file.path).sort();
    const allowed =
      /^(package\.json|README(\.md)?|LICEN[CS]E(\.\w+)?|dist\/(esm|cjs)\/.+\.(js|d\.ts)|dist\/(esm|cjs)\/package\.json|docs\/[^/]+\.md|docs\/images\/[^/]+\.png)$/;
    expect(paths.filter((path) => !allowed.test(path))).toEqual([]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'docs/README.md',
        'docs/getting-started.md',
        'dist/esm/index.js',
        'dist/esm/index.d.ts',
        'dist/esm/package.json',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/cjs/package.json',
        'dist/esm/integrations/dashboard/index.js',
        'dist/esm/integrations/dashboard/index.d.ts',
        'dist/cjs/integrations/dashboard/index.js',
        'dist/cjs/integrations/dashboard/index.d.ts',
        'dist/esm/integrations/nestjs/index.js',
        'dist/cjs/integrations/nestjs/index.d.ts',
        'dist/esm/integrations/redis/index.js',
        'dist/cjs/integrations/redis/index.d.ts',
      ]),
    );
    // Every guide of the repository, and nothing generated (the TypeDoc output in docs/api).
    const guides = readdirSync(join(repoRoot, 'docs')).filter((file) => file.endsWith('.md'));
    expect(paths.filter((path) => /^docs\/[^/]+$/.test(path))).toEqual(guides.map((file) => `docs/${file}`).sort());
    const images = readdirSync(join(repoRoot, 'docs/images')).filter((file) => file.endsWith('.png'));
    expect(paths.filter((path) => path.startsWith('docs/images/'))).toEqual(
      images.map((file) => `docs/images/${file}`).sort(),
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
    expect(stdout).toMatch(
      /"breakwater\/dashboard"\s+node10: OK\s+node16 \(from CJS\): OK \(CJS\)\s+node16 \(from ESM\): OK \(ESM\)/,
    );
    for (const entry of [
      '"breakwater/prometheus"',
      '"breakwater/opentelemetry"',
      '"breakwater/nestjs"',
      '"breakwater/redis"',
    ])
      expect(stdout).toContain(entry);
  });

  it('passes publint, warnings counting as errors', () => {
    // publint exits non-zero on errors (and, with --strict, on warnings); suggestions are only printed.
    const publint = join(repoRoot, 'node_modules/publint/src/cli.js');
    const { stdout } = runNode(publint, ['run', tarball, '--strict'], work);
    expect(stdout).not.toMatch(/^(Errors|Warnings):/m);
  });

  /** A fresh project folder with the tarball installed, and the peers linked from this repo (no network). */
  const install = (name: string): string =>
    installInto(join(work, name), tarball, ['rxjs', 'reflect-metadata', '@types/node', ...EXPORTER_PEERS]);

  /**
   * Writes the program `code` into `project` as `<base>.mts` (ESM) or `<base>.ts` (CommonJS), with a
   * package.json of that format and a strict NodeNext tsconfig, compiles it, and returns the emitted file.
   */
  const compileConsumer = (
    project: string,
    format: ModuleFormat,
    base: string,
    code: string,
    skipLibCheck: boolean,
    options: Record<string, unknown> = {},
  ): string => {
    const source = format === 'esm' ? `${base}.mts` : `${base}.ts`;
    writeConsumerProject(
      project,
      `${base}-${format}`,
      format,
      { types: ['node'], skipLibCheck, ...options },
      {
        files: [source],
      },
    );
    writeFileSync(join(project, source), code);
    runNode(tsc, ['-p', project, '--pretty', 'false'], project);
    return join(project, format === 'esm' ? `${base}.mjs` : `${base}.js`);
  };

  it('links from its README and guides only to files it ships, and to headings that exist', () => {
    const root = join(install('links'), 'node_modules/breakwater');
    const pages = [
      'README.md',
      ...readdirSync(join(root, 'docs'))
        .filter((file) => file.endsWith('.md'))
        .map((file) => `docs/${file}`),
    ];
    const broken = pages.flatMap((page) =>
      relativeLinks(readFileSync(join(root, page), 'utf8')).flatMap(({ target, line }) => {
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? page : normalize(join(dirname(page), decodeURI(path)));
        const where = `${page}:${String(line)}: ${target}`;
        if (file.startsWith('..') || !existsSync(join(root, file))) return [`${where} (no such file in the package)`];
        if (anchor === undefined || !file.endsWith('.md')) return [];
        const slugs = headingSlugs(readFileSync(join(root, file), 'utf8'));
        return slugs.has(anchor) ? [] : [`${where} (no heading #${anchor} in ${file})`];
      }),
    );
    expect(pages.length).toBeGreaterThan(5);
    expect(broken).toEqual([]);
  });

  const matrix: [ModuleFormat, DecoratorMode][] = [
    ['esm', 'standard'],
    ['esm', 'legacy'],
    ['cjs', 'standard'],
    ['cjs', 'legacy'],
  ];

  it.each(matrix)(
    'works when installed into a fresh %s project compiled with %s decorators',
    (format, decorators) => {
      const project = install(`${format}-${decorators}`);

      // Our .d.ts files are checked as a user's compiler sees them: once per module format, since
      // the decorator mode does not change them and checking every .d.ts costs seconds.
      const legacy = decorators === 'legacy';
      const program = compileConsumer(project, format, 'check', CONSUMER_SOURCE, legacy, {
        ...(legacy ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
      });
      const emitted = readFileSync(program, 'utf8');
      expect(emitted).toContain(format === 'esm' ? "from 'breakwater'" : 'require("breakwater")');

      // A background timer left by the library would keep this process alive until the run timeout.
      const { stdout } = runNode(program, [], project);
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

  it.each(['esm', 'cjs'] as const)(
    'serves breakwater/dashboard from a fresh %s project: the page and the first snapshot over loopback',
    (format) => {
      const project = install(`dashboard-${format}`);
      const program = compileConsumer(project, format, 'dashboard', DASHBOARD_SOURCE, false);

      // The process must end by itself once the server is closed: no timer or socket left behind.
      const { stdout } = runNode(program, [], project);
      expect(JSON.parse(stdout)).toEqual({
        loopbackUrl: true,
        page: [200, 'text/html; charset=utf-8', true],
        strictCsp: true,
        events: [200, 'text/event-stream; charset=utf-8', true],
        breaker: expect.objectContaining({ name: 'tarball-dashboard', state: 'open' }) as unknown,
        handlerClients: 0,
      });

      // `breakwater` alone never loads an integration (CommonJS lists what it loaded in require.cache).
      if (format === 'cjs') {
        const loaded = runNode(
          '-e',
          [
            "require('breakwater'); const all = Object.keys(require.cache);" +
              " process.stdout.write(JSON.stringify([all.length > 1, all.filter((f) => f.includes('integrations'))]))",
          ],
          project,
        );
        expect(JSON.parse(loaded.stdout)).toEqual([true, []]);
      }
    },
    SLOW,
  );

  it(
    'shares breakers and global streams between its ESM and CommonJS builds loaded in one process',
    () => {
      const project = install('dual');
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
    'shares a breaker through breakwater/redis and a real redis-server from a fresh %s project',
    async (format) => {
      if (redisServerPath === undefined && process.env['CI'] !== 'true') {
        console.warn(`Skipping the breakwater/redis consumer: no redis-server. Install it: ${REDIS_INSTALL_HINT}`);
        return;
      }
      const redis = await startRedis();
      try {
        const project = installInto(join(work, `redis-${format}`), tarball, [
          'rxjs',
          'reflect-metadata',
          '@types/node',
          'redis',
        ]);
        const program = compileConsumer(project, format, 'shared', REDIS_CONSUMER_SOURCE, true);
        // The process must end by itself once the store and the client are closed.
        const { stdout } = runNode(program, [], project, { REDIS_URL: redis.url });
        expect(JSON.parse(stdout)).toEqual({
          state: 'open',
          shared: 'open',
          reason: 'failure_threshold',
          rejected: true,
        });
      } finally {
        await redis.stop();
      }
    },
    SLOW,
  );

  it.each(['esm', 'cjs'] as const)(
    'exports Prometheus and OpenTelemetry metrics from a fresh %s project',
    (format) => {
      const project = install(`metrics-${format}`);
      // Our integrations' .d.ts files, and the peers' they import, checked as a user's compiler sees them.
      const program = compileConsumer(project, format, 'metrics', METRICS_CONSUMER_SOURCE, false);
      const { stdout } = runNode(program, [], project);
      expect(JSON.parse(stdout)).toEqual(METRICS_CONSUMER_OUTPUT);
    },
    SLOW,
  );

  it(
    'loads neither prom-client nor @opentelemetry/api for `breakwater` alone, through require or import',
    () => {
      const project = install('peer-loads');
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
