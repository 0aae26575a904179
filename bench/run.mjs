// `npm run bench`: compiles bench/ and lib/ with the repo's TypeScript, then runs the compiled
// orchestrator, which measures every scenario on Node 24 and Node 20 and writes bench/results/.
// `--noCheck`: the type-check belongs to `npm run typecheck`; here only the emitted code matters.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'bench', 'tsconfig.json'), '--noCheck'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) {
  console.error(`bench: compiling bench/ failed (exit ${String(build.status)})`);
  process.exit(1);
}
const cli = join(root, '.tmp', 'bench', 'bench', 'cli.js');
const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
