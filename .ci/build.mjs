// `npm run build`: dist/esm (import) and dist/cjs (require), each with its .d.ts files.
// Each folder gets a package.json naming its module format, so Node never has to guess from
// the root package.json (which has no "type" and so means CommonJS).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dist = join(root, 'dist');

// Built in a staging folder and swapped in by two renames at the end, so specs and examples that load
// dist/ while a build runs (jest runs them in parallel) do not find it half-written or deleted for
// seconds. Starting from an empty folder also keeps files of renamed modules out of the package.
mkdirSync(join(root, '.tmp'), { recursive: true });
const staging = mkdtempSync(join(root, '.tmp', 'build-'));

try {
  for (const [format, type] of [
    ['esm', 'module'],
    ['cjs', 'commonjs'],
  ]) {
    const config = `tsconfig.build.${format}.json`;
    const outDir = join(staging, 'dist', format);
    const args = [tsc, '-p', join(root, config), '--outDir', outDir];
    const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (status !== 0) {
      console.error(`build: tsc -p ${config} failed (exit ${String(status)})`);
      process.exitCode = 1;
      break;
    }
    writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
  }
  if (process.exitCode !== 1) {
    if (existsSync(dist)) renameSync(dist, join(staging, 'previous'));
    renameSync(join(staging, 'dist'), dist);
  }
} finally {
  rmSync(staging, { recursive: true, force: true });
}
