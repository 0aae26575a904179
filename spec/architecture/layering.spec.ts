import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import * as ts from 'typescript';
import { folderOf, LAYERS, violation } from './layers.js';

// Holds every import of lib/ (type-only ones and re-exports included: a type import is still an arrow
// a reader follows) against the layers of spec/architecture/layers.ts, and keeps lib/'s files short.

const lib = join(__dirname, '../../lib');
const files = readdirSync(lib, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.split('\\').join('/'))
  .sort();

/** Every relative import of a lib/ file, as lib/-relative paths of .ts files. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(lib, file), 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((ref) => ref.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) =>
      normalize(join(dirname(file), name))
        .split('\\')
        .join('/')
        .replace(/\.js$/, '.ts'),
    );
}

const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));

describe('the layering of lib/ (spec/architecture/layers.ts, drawn in docs/architecture.md)', () => {
  it('reads the imports of every file', () => {
    expect(files.length).toBeGreaterThan(80);
    expect(edges.length).toBeGreaterThan(200);
    for (const { to } of edges) expect(files).toContain(to);
  });

  it('has every import point down (or stay in its folder), naming the rule each wrong one breaks', () => {
    const wrong = edges.flatMap(({ from, to }) => {
      const why = violation(from, to);
      return why === undefined ? [] : [`lib/${from} imports lib/${to}: ${why}`];
    });
    expect(wrong).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const { from, to } of edges) {
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a === undefined || b === undefined || a === b) continue;
      graph.set(a, (graph.get(a) ?? new Set()).add(b));
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('puts every file of lib/ in a layer or an integration', () => {
    const homeless = files.filter((file) => folderOf(file) === undefined && !file.startsWith('integrations/'));
    expect(homeless).toEqual([]);
  });

  it('keeps every file of lib/ at 250 lines or fewer', () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(lib, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > 250)
      .map(({ file, lines }) => `lib/${file}: ${String(lines)} lines`);
    expect(long).toEqual([]);
  });

  it('catches a wrong-way import, a sideways one and an integration reaching inside (the check can fail)', () => {
    expect(violation('events/types.ts', 'runtime/call.ts')).toMatch(/folders of one layer do not import each other/);
    expect(violation('runtime/call.ts', 'policies/retry/options.ts')).toMatch(/imports point down only/);
    expect(violation('policies/bulkhead/options.ts', 'policies/timeout/options.ts')).toMatch(/one layer/);
    expect(violation('integrations/prometheus/exporter.ts', 'events/types.ts')).toMatch(/only through lib\/index\.ts/);
    expect(violation('integrations/nestjs/module.ts', 'integrations/dashboard/index.ts')).toBeUndefined();
    expect(violation('integrations/nestjs/module.ts', 'integrations/dashboard/hub.ts')).toMatch(/its index\.ts/);
    expect(violation('clock/clock.ts', 'integrations/dashboard/index.ts')).toMatch(/never imports an integration/);
    expect(violation('decorators/retry.ts', 'policies/retry/options.ts')).toBeUndefined();
    expect(LAYERS.map((layer) => layer.name)).toEqual([
      'face',
      'api',
      'policies',
      'contract',
      'clock',
      'errors',
      'shared',
    ]);
  });
});
