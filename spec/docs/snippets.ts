import ts from 'typescript';

// Turns the ```ts fences of the README and docs/*.md into modules a fresh app can compile and run.
// Pure: markdown in, module text out; spec/docs/snippets.spec.ts does the compiling and running.
//
// A fence is a module of its own unless an HTML comment right above it (invisible on GitHub and npm)
// says otherwise:
//   <!-- snippet: continue -->            appended to the previous fence of the page: one module
//   <!-- snippet: jest -->                a Jest test file: type-checked, then run by Jest
//   <!-- snippet: compile-only (why) -->  type-checked, not run (say why)
//   <!-- snippet: skip (why) -->          neither (say why; fix the snippet rather than skip it)
//   <!-- snippet: experimental-decorators -->
//                                         only in the app compiled with experimentalDecorators (NestJS's
//                                         decorators need it); a continued fence inherits it
//   <!-- snippet: expect-errors (TS2345, TS2322) -->
//                                         shows a mistake on purpose: type-checked, not run, and it must
//                                         fail with exactly these error codes (each at least once, no other)
// Directives combine with commas: `<!-- snippet: continue, compile-only (why) -->`. A `prelude`
// directive takes the comment's further lines, up to `-->`, as code placed before the fence's: stand-ins
// for the reader's OWN code (their gateway client, their pager), never for anything breakwater provides:
//   <!-- snippet: prelude
//   const pager = { alert: (text: string) => console.error(text) };
//   -->

/** What a directive asks for. */
export type SnippetMode = 'run' | 'jest' | 'compile-only' | 'skip' | 'expect-errors';

/** One ```ts fence of a page. */
export interface Snippet {
  /** Page path as given, e.g. `docs/retry.md`. */
  readonly file: string;
  /** 1-based line of the fence's first code line. */
  readonly line: number;
  readonly code: string;
  readonly continues: boolean;
  /** True when it compiles only with `experimentalDecorators` (NestJS's decorators). */
  readonly experimentalDecorators: boolean;
  /** The mode its directive asked for; `undefined` when none was given. */
  readonly mode: SnippetMode | undefined;
  /** The reason given with `compile-only` or `skip`, or the error codes given with `expect-errors`. */
  readonly reason: string | undefined;
  /** Hidden code from a `prelude` directive, placed before `code`; `''` when none. */
  readonly prelude: string;
  /** 1-based line of the prelude's first line. */
  readonly preludeLine: number;
}

/** The fences that form one module: a fence and the `continue` fences after it. */
export interface SnippetModule {
  /** A file-name-safe id, e.g. `docs-retry-1` (page, then the module's 1-based index on it). */
  readonly id: string;
  readonly mode: SnippetMode;
  /** Its first fence's `experimentalDecorators`. */
  readonly experimentalDecorators: boolean;
  readonly blocks: readonly Snippet[];
}

/** Where a line of a generated module came from. */
export interface SourceLine {
  readonly file: string;
  readonly line: number;
}

/** A module as written to disk, and the way back from its lines to the pages. */
export interface RenderedModule {
  readonly code: string;
  /** Index i holds the source of generated line i + 1, or `undefined` for generated glue. */
  readonly sources: readonly (SourceLine | undefined)[];
}

const DIRECTIVE = /^<!--\s*snippet:\s*(.*?)\s*(-->)?$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const TYPESCRIPT = new Set(['ts', 'typescript']);

interface Directive {
  continues: boolean;
  experimentalDecorators?: boolean;
  prelude: boolean;
  mode?: SnippetMode;
  reason?: string;
}

function parseDirective(text: string, where: string): Directive {
  let continues = false;
  let experimentalDecorators = false;
  let prelude = false;
  let mode: SnippetMode | undefined;
  let reason: string | undefined;
  for (const part of text.split(/,(?![^(]*\))/).map((p) => p.trim())) {
    const match =
      /^(continue|prelude|experimental-decorators|jest|compile-only|skip|expect-errors)\s*(?:\((.+)\))?$/.exec(part);
    if (match === null) throw new Error(`${where}: unknown snippet directive "${part}"`);
    const [, word, why] = match;
    if (word === 'experimental-decorators') {
      experimentalDecorators = true;
      continue;
    }
    if (word === 'continue' || word === 'prelude') {
      if (word === 'continue') continues = true;
      else prelude = true;
      continue;
    }
    if (mode !== undefined) throw new Error(`${where}: two modes in one snippet directive`);
    mode = word as SnippetMode;
    if ((mode === 'skip' || mode === 'compile-only') && !why) {
      throw new Error(`${where}: "${mode}" needs a reason in parentheses`);
    }
    if (mode === 'expect-errors' && !/^TS\d+(\s*,\s*TS\d+)*$/.test(why ?? '')) {
      throw new Error(`${where}: "expect-errors" needs the expected error codes in parentheses, e.g. (TS2345, TS2322)`);
    }
    reason = why;
  }
  return {
    continues,
    prelude,
    experimentalDecorators,
    ...(mode === undefined ? {} : { mode }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * Every ```ts fence of one markdown page, with the directive written right above it.
 *
 * @param markdown - the page's text.
 * @param file - the page's path, for messages and source lines.
 * @throws Error for an unknown directive, a directive not followed by a ts fence, or an unclosed fence.
 */
export function extractSnippets(markdown: string, file: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  let pending: { text: string; line: number; prelude: string[] } | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const directive = DIRECTIVE.exec(line.trim());
    if (directive !== null) {
      pending = { text: directive[1] ?? '', line: i + 1, prelude: [] };
      // A comment that goes on past its first line holds the prelude, up to the line `-->`.
      if (directive[2] === undefined) {
        for (i += 1; i < lines.length && (lines[i] ?? '').trim() !== '-->'; i += 1)
          pending.prelude.push(lines[i] ?? '');
        if (i >= lines.length) throw new Error(`${file}:${pending.line}: unclosed snippet comment`);
      }
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence === null) {
      if (line.trim() !== '' && pending !== undefined) {
        throw new Error(`${file}:${pending.line}: a snippet directive must be followed by a \`\`\`ts fence`);
      }
      continue;
    }
    const [, indent = '', marker = '', language = ''] = fence;
    const start = i + 1;
    const body: string[] = [];
    for (i += 1; i < lines.length && !(lines[i] ?? '').trim().startsWith(marker); i += 1) {
      body.push((lines[i] ?? '').startsWith(indent) ? (lines[i] ?? '').slice(indent.length) : (lines[i] ?? ''));
    }
    if (i >= lines.length) throw new Error(`${file}:${start}: unclosed code fence`);
    const where = `${file}:${pending?.line ?? start}`;
    if (!TYPESCRIPT.has(language)) {
      if (pending !== undefined) throw new Error(`${where}: a snippet directive must be followed by a \`\`\`ts fence`);
      continue;
    }
    const parsed: Directive =
      pending === undefined ? { continues: false, prelude: false } : parseDirective(pending.text, where);
    if (parsed.continues && !snippets.some((s) => s.file === file)) {
      throw new Error(`${where}: "continue" on the first snippet of the page`);
    }
    if (parsed.prelude !== (pending !== undefined && pending.prelude.length > 0)) {
      throw new Error(
        `${where}: a "prelude" directive goes with code on the comment's further lines, and only with it`,
      );
    }
    snippets.push({
      file,
      line: start + 1,
      code: body.join('\n'),
      continues: parsed.continues,
      experimentalDecorators: parsed.experimentalDecorators === true,
      mode: parsed.mode,
      reason: parsed.reason,
      prelude: pending?.prelude.join('\n') ?? '',
      preludeLine: (pending?.line ?? 0) + 1,
    });
    pending = undefined;
  }
  return snippets;
}

/**
 * The error codes an `expect-errors` module must fail with (`['TS2345', 'TS2322']`); `[]` for any
 * other module.
 */
export function expectedErrors(module: SnippetModule): string[] {
  const reason = module.mode === 'expect-errors' ? module.blocks[0]?.reason : undefined;
  return reason === undefined ? [] : reason.split(',').map((code) => code.trim());
}

/**
 * Groups a page's snippets into modules: each `continue` fence joins the module before it, whose
 * mode (that of its first fence, `'run'` by default) it shares.
 *
 * @param snippets - one page's snippets, in page order.
 * @throws Error when a continued fence asks for another mode than its module's.
 */
export function snippetModules(snippets: readonly Snippet[]): SnippetModule[] {
  const modules: { id: string; mode: SnippetMode; experimentalDecorators: boolean; blocks: Snippet[] }[] = [];
  for (const snippet of snippets) {
    const last = modules[modules.length - 1];
    if (snippet.continues && last !== undefined) {
      if (snippet.mode !== undefined && snippet.mode !== last.mode) {
        throw new Error(`${snippet.file}:${snippet.line}: a continued snippet takes its module's mode (${last.mode})`);
      }
      last.blocks.push(snippet);
      continue;
    }
    const page = snippet.file.replace(/\.md$/i, '').replace(/[^A-Za-z0-9]+/g, '-');
    const index = modules.filter((m) => m.blocks[0]?.file === snippet.file).length + 1;
    modules.push({
      id: `${page}-${index}`.toLowerCase(),
      mode: snippet.mode ?? 'run',
      experimentalDecorators: snippet.experimentalDecorators,
      blocks: [snippet],
    });
  }
  return modules;
}

interface Imports {
  /** module specifier → local name → the specifier's text (`a`, `a as b`, `type T`). */
  readonly named: Map<string, Map<string, string>>;
  /** Default, namespace and side-effect imports, deduplicated by text. */
  readonly other: Set<string>;
}

function collectImports(source: ts.SourceFile, into: Imports): ts.ImportDeclaration[] {
  const found: ts.ImportDeclaration[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    found.push(statement);
    const from = (statement.moduleSpecifier as ts.StringLiteral).text;
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    if (clause !== undefined && clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings)) {
      const names = into.named.get(from) ?? new Map<string, string>();
      into.named.set(from, names);
      for (const element of bindings.elements) {
        const typeOnly = clause.phaseModifier === ts.SyntaxKind.TypeKeyword || element.isTypeOnly;
        const text = `${typeOnly ? 'type ' : ''}${element.getText(source).replace(/^type\s+/, '')}`;
        const known = names.get(element.name.text);
        // A value import also imports the type: keep the one that serves both uses.
        if (known === undefined || (known.startsWith('type ') && !typeOnly)) names.set(element.name.text, text);
      }
    } else {
      into.other.add(statement.getText(source));
    }
  }
  return found;
}

function hasTopLevelAwait(source: ts.SourceFile): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) return true;
    return ts.forEachChild(node, visit) === true;
  };
  return source.statements.some(visit);
}

function isDeclare(statement: ts.Statement): boolean {
  return (
    ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)
  );
}

/**
 * The module's text for an ES module app (`'esm'`) or a CommonJS one (`'cjs'`): the imports of all
 * its fences (and preludes) merged at the top, then the `declare` statements, then each prelude and
 * fence with those blanked out (so its lines keep their places). CommonJS has no top-level `await`:
 * there, a module that uses it runs its body in an async function (what a CommonJS user does),
 * exported as `done` for the runner to await.
 *
 * @param module - from {@link snippetModules}.
 * @param format - the app's module format.
 */
export function renderModule(module: SnippetModule, format: 'esm' | 'cjs'): RenderedModule {
  const imports: Imports = { named: new Map(), other: new Set() };
  const pieces = module.blocks.flatMap((snippet) => [
    ...(snippet.prelude === '' ? [] : [{ file: snippet.file, line: snippet.preludeLine, code: snippet.prelude }]),
    { file: snippet.file, line: snippet.line, code: snippet.code },
  ]);
  const declared: { text: string; source: SourceLine }[] = [];
  const bodies: { file: string; line: number; lines: string[] }[] = [];
  let awaits = false;
  for (const piece of pieces) {
    const source = ts.createSourceFile(`${module.id}.ts`, piece.code, ts.ScriptTarget.ES2022, true);
    const lines = piece.code.split('\n');
    const lift = (statement: ts.Statement, keep: boolean): void => {
      const first = source.getLineAndCharacterOfPosition(statement.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(statement.getEnd()).line;
      for (let l = first; l <= last; l += 1) {
        if (keep) declared.push({ text: lines[l] ?? '', source: { file: piece.file, line: piece.line + l } });
        lines[l] = '';
      }
    };
    for (const declaration of collectImports(source, imports)) lift(declaration, false);
    for (const statement of source.statements.filter(isDeclare)) lift(statement, true);
    awaits ||= hasTopLevelAwait(source);
    bodies.push({ file: piece.file, line: piece.line, lines });
  }
  const head = [
    ...imports.other,
    ...[...imports.named].map(([from, names]) => `import { ${[...names.values()].join(', ')} } from '${from}';`),
  ];
  const wrap = format === 'cjs' && awaits;
  const code: string[] = [...head, ...declared.map((d) => d.text)];
  const sources: (SourceLine | undefined)[] = [...head.map(() => undefined), ...declared.map((d) => d.source)];
  if (wrap) {
    code.push('export const done = (async (): Promise<void> => {');
    sources.push(undefined);
  }
  for (const { file, line, lines } of bodies) {
    lines.forEach((text, i) => {
      // Declarations inside a function cannot be exported.
      code.push(wrap ? text.replace(/^export\s+/, '') : text);
      sources.push({ file, line: line + i });
    });
  }
  if (wrap) {
    code.push('})();');
    sources.push(undefined);
  } else if (!code.some((line) => /^\s*(import|export)\b/.test(line))) {
    // A snippet without imports or exports would be a script sharing one global scope with the others.
    code.push('export {};');
    sources.push(undefined);
  }
  return { code: `${code.join('\n')}\n`, sources };
}
