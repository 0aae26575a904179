import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// What the specs that install the packed package into fresh projects share (spec/package,
// spec/docs): running commands, building when stale, packing, and installing without network.

/** The repository's root folder. */
export const repoRoot = resolve(__dirname, '../..');
/** The repository's TypeScript compiler, run with `runNode`. */
export const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

/** What a finished command printed. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to completion; a non-zero exit fails the test with everything it printed.
 *
 * @param command - the program.
 * @param args - its arguments.
 * @param cwd - where to run it.
 * @param env - extra environment variables.
 */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): RunResult {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  const printed = `$ ${command} ${args.join(' ')}\n${result.stdout}${result.stderr}`;
  if (result.error) throw new Error(`${printed}\n${result.error.message}`);
  if (result.status !== 0) throw new Error(`${printed}\nexited with ${String(result.status ?? result.signal)}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs a script on the Node that runs jest (so the Node 24 CI run uses Node 24).
 *
 * @param script - the script's path.
 * @param args - its arguments.
 * @param cwd - where to run it.
 * @param env - extra environment variables.
 */
export function runNode(
  script: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): RunResult {
  return run(process.execPath, [script, ...args], cwd, env);
}

/**
 * Builds unless dist/ is newer than everything it is built from. `npm test` builds before jest, and other
 * specs load dist/ in parallel, so rebuilding only when stale keeps them from racing a build.
 */
export function ensureFreshBuild(): void {
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

/** What `npm pack --json` reports about the tarball. */
export interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string }[];
}

/**
 * Packs the package into `destination` (building first when dist/ is stale; `prepack` is not run again).
 *
 * @param destination - an existing folder.
 * @returns npm's report and the tarball's path.
 */
export function packInto(destination: string): { readonly packed: PackResult; readonly tarball: string } {
  ensureFreshBuild();
  const { stdout } = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], repoRoot);
  const results = JSON.parse(stdout) as PackResult[];
  if (results.length !== 1) throw new Error(`npm pack reported ${String(results.length)} packages`);
  const packed = results[0] as PackResult;
  return { packed, tarball: join(destination, packed.filename) };
}

/**
 * A fresh project folder with the tarball installed as `node_modules/breakwater`, and other packages
 * linked from this repository's node_modules (no network).
 *
 * @param project - the folder to create.
 * @param tarball - from {@link packInto}.
 * @param linked - package names to link, e.g. `['rxjs', '@types/node']`.
 */
export function installInto(project: string, tarball: string, linked: readonly string[]): string {
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  run('tar', ['-xzf', tarball, '-C', project], project);
  renameSync(join(project, 'package'), join(modules, 'breakwater'));
  for (const dependency of linked) {
    mkdirSync(join(modules, dependency, '..'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', dependency), join(modules, dependency), 'dir');
  }
  return project;
}

/** The module format of a fresh consumer project. */
export type ModuleFormat = 'esm' | 'cjs';

/**
 * Makes `dir` a consumer project of `format`: a private package.json (`"type": "module"` for ESM)
 * and a strict NodeNext tsconfig.
 *
 * @param compilerOptions - added to (or replacing) the strict NodeNext ones.
 * @param sources - what the tsconfig compiles: `{ files }` or `{ include }`.
 */
export function writeConsumerProject(
  dir: string,
  name: string,
  format: ModuleFormat,
  compilerOptions: Readonly<Record<string, unknown>>,
  sources: Readonly<Record<string, unknown>>,
): void {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, private: true, ...(format === 'esm' ? { type: 'module' } : {}) }),
  );
  const strict = { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true };
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, ...sources }),
  );
}
