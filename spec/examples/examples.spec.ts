import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeOnce } from '../support/mode';

// Every runnable program in examples/ (not examples/demo/, which has its own spec) must exit 0 by
// itself. TypeScript examples run through ts-node with examples/tsconfig.json; JavaScript ones
// require('breakwater') — the package's own exports map, so they need `npm run build` first.
const root = resolve(__dirname, '../..');
const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && /\.(ts|cjs|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
  .map((entry) => entry.name)
  .sort();

/** Lines each known example must print: what it is there to show. Examples not listed must still exit 0 and print something. */
const expectedOutput: Readonly<Record<string, readonly string[]>> = {
  'order-service-fallbacks.ts': [
    'Order ORD3: paid (TXN3)',
    '[state] payments: closed -> open (failure_threshold)',
    'Order ORD7: payment_pending (circuit open, provider not called',
    '[state] payments: open -> half_open (reset_timeout)',
    '[state] payments: half_open -> closed (probe_succeeded)',
    '"totalCalls": 11',
    '"successfulCalls": 6',
    '"failedCalls": 3',
    '"rejectedCalls": 2',
    'The provider was called 9 times for 11 orders.',
  ],
  'monitoring-alerts.ts': [
    'Alert: open_circuit inventory',
    'Alert: open_circuit shipping',
    'Alert: reset_circuit inventory at 12:00:05 (probe_succeeded)',
    'Alert: reset_circuit shipping at 12:00:05 (reset)',
    'a subscriber threw: Error: dashboard exporter crashed',
    'reserve #6: inventory: reserve SKU-6 ok',
    '  inventory: 3',
    '  shipping: 2',
    'Service calls: inventory 3, shipping 3',
  ],
  'javascript-functional.cjs': [
    'forecast for Lisbon: sunny, 21 C after 3 calls',
    'timed out: true',
    'requests aborted: 1',
    'fallback for: open circuit',
    'request 4: sunny (stale); breaker open',
    'API calls while down: 4; breaker: 2 failed, 2 rejected',
  ],
};

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runExample(file: string): Promise<Run> {
  const path = join(examplesDir, file);
  // ts-node itself trips DEP0180 (fs.Stats) on Node 24; every other warning still fails the test.
  const args = file.endsWith('.ts')
    ? ['--disable-warning=DEP0180', '-r', 'ts-node/register/transpile-only', path]
    : ['--disable-warning=DEP0180', path];
  const env = { ...process.env, TS_NODE_PROJECT: join(examplesDir, 'tsconfig.json'), FORCE_COLOR: '0' };
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: root, env, timeout: 90_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ code, stdout, stderr });
    });
  });
}

describeOnce('examples/', () => {
  it('finds the example programs', () => {
    expect(examples).toEqual(expect.arrayContaining(Object.keys(expectedOutput)));
  });

  it('has dist/ built for the JavaScript examples (npm run build)', () => {
    const needsDist = examples.some((file) => !file.endsWith('.ts'));
    if (needsDist) expect(existsSync(join(root, 'dist/cjs/index.js'))).toBe(true);
  });

  it.concurrent.each(examples)(
    '%s runs to completion with exit code 0',
    async (file) => {
      const { code, stdout, stderr } = await runExample(file);
      if (code !== 0)
        throw new Error(`${file} exited with ${String(code)}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
      expect(stdout.trim()).not.toBe('');
      expect(stderr).not.toMatch(
        /UnhandledPromiseRejection|unhandledRejection|MaxListenersExceededWarning|DeprecationWarning/,
      );
      for (const line of expectedOutput[file] ?? []) expect(stdout).toContain(line);
    },
    120_000,
  );
});
