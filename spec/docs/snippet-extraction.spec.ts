import { expectedErrors, extractSnippets, renderModule, snippetModules } from './snippets.js';

// The extraction behind spec/docs/snippets.spec.ts: which fences become which modules, and how a
// module is written for an ES module app and a CommonJS one. Pure, so it runs in both projects.
const page = (...lines: string[]): string => lines.join('\n');

describe('extractSnippets', () => {
  it('takes the ts fences with the line of their first code line, and leaves other languages out', () => {
    const snippets = extractSnippets(
      page(
        '# Title',
        '',
        '```bash',
        'npm test',
        '```',
        '',
        '```ts',
        'const a = 1;',
        '```',
        '```typescript',
        'b();',
        '```',
      ),
      'docs/x.md',
    );
    expect(snippets.map((s) => [s.line, s.code, s.mode, s.continues])).toEqual([
      [8, 'const a = 1;', undefined, false],
      [11, 'b();', undefined, false],
    ]);
  });

  it('reads directives, a prelude and its line, and strips a list item indent', () => {
    const [first, second] = extractSnippets(
      page(
        '<!-- snippet: compile-only (calls a real service) -->',
        '```ts',
        'a();',
        '```',
        '- item',
        '  <!-- snippet: continue, prelude',
        '  const b = 1;',
        '  -->',
        '',
        '  ```ts',
        '  b;',
        '  ```',
      ),
      'docs/x.md',
    );
    expect(first).toMatchObject({ mode: 'compile-only', reason: 'calls a real service', prelude: '' });
    expect(second).toMatchObject({ continues: true, mode: undefined, prelude: '  const b = 1;', preludeLine: 7 });
    expect(second?.code).toBe('b;');
  });

  it('marks a module that needs experimentalDecorators, continued fences included', () => {
    const snippets = extractSnippets(
      page(
        '<!-- snippet: experimental-decorators -->',
        '```ts',
        'a();',
        '```',
        '<!-- snippet: continue -->',
        '```ts',
        'b();',
        '```',
        '```ts',
        'c();',
        '```',
      ),
      'docs/x.md',
    );
    const [nest, plain] = snippetModules(snippets);
    expect(nest).toMatchObject({ experimentalDecorators: true, mode: 'run' });
    expect(nest?.blocks).toHaveLength(2);
    expect(plain?.experimentalDecorators).toBe(false);
  });

  it('reads the error codes an expect-errors fence must fail with', () => {
    const snippets = extractSnippets(
      page('<!-- snippet: expect-errors (TS2345, TS2322) -->', '```ts', 'a();', '```', '```ts', 'b();', '```'),
      'docs/x.md',
    );
    const [mistakes, plain] = snippetModules(snippets);
    expect(mistakes?.mode).toBe('expect-errors');
    expect(expectedErrors(mistakes!)).toEqual(['TS2345', 'TS2322']);
    expect(expectedErrors(plain!)).toEqual([]);
  });

  it.each([
    [page('<!-- snippet: skipp -->', '```ts', '```'), 'unknown snippet directive "skipp"'],
    [page('<!-- snippet: skip -->', '```ts', '```'), '"skip" needs a reason'],
    [page('<!-- snippet: jest, skip (x) -->', '```ts', '```'), 'two modes'],
    [page('<!-- snippet: expect-errors -->', '```ts', '```'), '"expect-errors" needs the expected error codes'],
    [page('<!-- snippet: expect-errors (2345) -->', '```ts', '```'), '"expect-errors" needs the expected error codes'],
    [page('<!-- snippet: continue -->', '```ts', '```'), '"continue" on the first snippet'],
    [page('<!-- snippet: jest -->', 'text', '```ts', '```'), 'must be followed by a ```ts fence'],
    [page('<!-- snippet: jest -->', '```bash', '```'), 'must be followed by a ```ts fence'],
    [page('<!-- snippet: prelude -->', '```ts', '```'), '"prelude" directive goes with code'],
    [page('<!-- snippet: jest', 'a();', '-->', '```ts', '```'), '"prelude" directive goes with code'],
    [page('<!-- snippet: prelude', 'a();'), 'unclosed snippet comment'],
    [page('```ts', 'a();'), 'unclosed code fence'],
  ])('rejects a mistake with its line: %j', (markdown, message) => {
    expect(() => extractSnippets(markdown, 'docs/x.md')).toThrow(message);
    expect(() => extractSnippets(markdown, 'docs/x.md')).toThrow(/^docs\/x\.md:\d+: /);
  });
});

describe('snippetModules', () => {
  const markdown = page(
    '<!-- snippet: jest -->',
    '```ts',
    'a();',
    '```',
    '<!-- snippet: continue -->',
    '```ts',
    'b();',
    '```',
    '```ts',
    'c();',
    '```',
  );

  it('joins each continued fence to the module before it, which keeps its mode', () => {
    const modules = snippetModules(extractSnippets(markdown, 'docs/my page.md'));
    expect(modules.map((m) => [m.id, m.mode, m.blocks.map((b) => b.code)])).toEqual([
      ['docs-my-page-1', 'jest', ['a();', 'b();']],
      ['docs-my-page-2', 'run', ['c();']],
    ]);
  });

  it('refuses a continued fence that asks for another mode', () => {
    const conflicting = markdown.replace('<!-- snippet: continue -->', '<!-- snippet: continue, compile-only (x) -->');
    expect(() => snippetModules(extractSnippets(conflicting, 'docs/x.md'))).toThrow("takes its module's mode (jest)");
  });
});

describe('renderModule', () => {
  const module = (markdown: string) => snippetModules(extractSnippets(markdown, 'docs/x.md'))[0]!;

  it('merges the imports of every fence and prelude at the top, a value import winning over a type one', () => {
    const rendered = renderModule(
      module(
        page(
          '<!-- snippet: prelude',
          "import { type A, b } from 'lib';",
          '-->',
          '```ts',
          "import { A, c as d } from 'lib';",
          "import * as fs from 'node:fs';",
          'export const x: A = b(d, fs);',
          '```',
        ),
      ),
      'esm',
    );
    const lines = rendered.code.split('\n');
    expect(lines.slice(0, 2)).toEqual(["import * as fs from 'node:fs';", "import { A, b, c as d } from 'lib';"]);
    // Import lines are blanked, not removed: every other line keeps its place on the page.
    const at = lines.indexOf('export const x: A = b(d, fs);');
    expect(rendered.sources[at]).toEqual({ file: 'docs/x.md', line: 7 });
    expect(rendered.sources[0]).toBeUndefined();
  });

  it('hoists `declare` statements above the body, and wraps a CommonJS body that awaits at the top', () => {
    const markdown = page(
      '```ts',
      "import { f } from 'lib';",
      'declare const g: () => Promise<number>;',
      'export const n = await g();',
      'f(n);',
      '```',
    );
    const cjs = renderModule(module(markdown), 'cjs').code.split('\n');
    expect(cjs.slice(0, 4)).toEqual([
      "import { f } from 'lib';",
      'declare const g: () => Promise<number>;',
      'export const done = (async (): Promise<void> => {',
      '',
    ]);
    expect(cjs).toContain('const n = await g();');
    expect(cjs).toContain('})();');
    // ES modules await at the top level: no wrapper, the export stays.
    const esm = renderModule(module(markdown), 'esm').code;
    expect(esm).toContain('export const n = await g();');
    expect(esm).not.toContain('done');
  });

  it('does not wrap an await that is inside a function, and makes a script a module', () => {
    const rendered = renderModule(module(page('```ts', 'async function h() {', '  await 1;', '}', '```')), 'cjs');
    expect(rendered.code).not.toContain('done');
    expect(rendered.code.trimEnd().endsWith('export {};')).toBe(true);
  });
});
