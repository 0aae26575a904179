import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import * as ts from 'typescript';
import { describeOnce } from '../support/mode.js';

// What a user reads when a @Fallback or @Retry is wrong: the real compiler's messages, in both
// decorator modes. The code and the output are the ones docs/fallback.md shows (between its
// `<!-- types:… -->` markers), so the page cannot drift from the compiler. Compiling takes seconds,
// so only the `standard` jest project runs this; it compiles both decorator modes itself.

const root = resolve(__dirname, '../..');
const docs = readFileSync(join(root, 'docs/fallback.md'), 'utf8');

/** The fenced block right after `<!-- types:name -->` in docs/fallback.md. */
function docsBlock(name: string): string {
  const marker = `<!-- types:${name} -->`;
  const at = docs.indexOf(marker);
  if (at < 0) throw new Error(`docs/fallback.md has no ${marker}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(docs.slice(at + marker.length));
  if (match === null) throw new Error(`docs/fallback.md has no code block after ${marker}`);
  return match[1]!;
}

/**
 * Compiles files that exist only in memory (beside this spec, importing 'breakwater' from lib/)
 * and returns their diagnostics as `tsc --pretty false` prints them.
 */
function compile(files: Readonly<Record<string, string>>, legacy: boolean): string {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error('tsconfig.json could not be read');
  const options: ts.CompilerOptions = {
    ...config.options,
    types: ['node'],
    noEmit: true,
    experimentalDecorators: legacy,
    emitDecoratorMetadata: legacy,
  };
  const memory = new Map(
    Object.entries(files).map(([name, text]) => [
      join(__dirname, name),
      text.replaceAll("from 'breakwater'", "from '../../lib/index.js'"),
    ]),
  );
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    const text = memory.get(resolve(name));
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => memory.has(resolve(name)) || fileExists(name);
  const program = ts.createProgram([...memory.keys()], options, host);
  return [...memory.keys()]
    .flatMap((name) => ts.getPreEmitDiagnostics(program, program.getSourceFile(name)))
    .map((d) => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start!);
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      return `${basename(d.file!.fileName)}(${line + 1},${character + 1}): error TS${d.code}: ${text}\n`;
    })
    .join('');
}

describeOnce('compiler messages for @Fallback and @Retry (docs/fallback.md)', () => {
  const output = { standard: '', legacy: '' };
  const files = { 'payment-client.ts': docsBlock('mistakes'), 'inline-handler.ts': docsBlock('inline') };

  beforeAll(() => {
    output.standard = compile(files, false);
    output.legacy = compile(files, true);
  }, 120_000);

  it.each(['standard', 'legacy'] as const)('%s decorators: prints exactly what the page shows', (which) => {
    expect(output[which]).toBe(docsBlock('mistakes-output'));
  });

  it('names each mistake: a missing or private method, wrong parameters, a wrong result, a predicate for another type', () => {
    const expected = [
      `payment-client.ts(10,13): error TS2345: Argument of type '"doesNotExist"' is not assignable to parameter of type '"breakwater: @Fallback('doesNotExist') on charge: the class has no public method 'doesNotExist' (private and protected methods are hidden from decorators: make it public)"'.`,
      `payment-client.ts(15,13): error TS2345: Argument of type '"queued"' is not assignable to parameter of type '"breakwater: @Fallback('queued') on refund: the class has no public method 'queued' (private and protected methods are hidden from decorators: make it public)"'.`,
      // TypeScript's own noUnusedLocals: to it, a private method that only a decorator names is unused.
      `payment-client.ts(19,11): error TS6133: 'queued' is declared but its value is never read.`,
      `payment-client.ts(23,13): error TS2345: Argument of type '"byCurrency"' is not assignable to parameter of type '"breakwater: @Fallback('byCurrency') on quote: 'byCurrency' must accept (error: unknown, ...the arguments of quote)"'.`,
      `payment-client.ts(31,13): error TS2345: Argument of type '"count"' is not assignable to parameter of type '"breakwater: @Fallback('count') on status: 'count' must return what status resolves to, or a Promise of it"'.`,
      `payment-client.ts(39,13): error TS2345: Argument of type '(_error: unknown, amount: string) => Receipt' is not assignable to parameter of type '(this: PaymentClient, error: unknown, amount: number) => Receipt | PromiseLike<Receipt>'.`,
      `  Types of parameters 'amount' and 'amount' are incompatible.`,
      `    Type 'number' is not assignable to type 'string'.`,
      `payment-client.ts(44,12): error TS2322: Type '(r: string) => boolean' is not assignable to type '(result: Receipt) => boolean'.`,
      `  Types of parameters 'r' and 'result' are incompatible.`,
      `    Type 'Receipt' is not assignable to type 'string'.`,
    ];
    expect(output.standard).toBe(`${expected.join('\n')}\n`);
    expect(output.legacy).toBe(output.standard);
  });

  it("types an inline handler's parameters from the method: the page's example compiles in both modes", () => {
    expect([output.standard, output.legacy].join('')).not.toContain('inline-handler.ts');
  });
});
