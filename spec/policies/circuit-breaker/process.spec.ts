import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeOnce } from '../../support/mode';

// Child processes run once, in the `standard` jest project (the scripts are transpiled with
// standard decorators by fixtures/register-ts.cjs).
const fixtures = join(__dirname, 'fixtures');

function runScript(
  script: string,
  nodeArgs: string[] = [],
): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [...nodeArgs, '-r', join(fixtures, 'register-ts.cjs'), join(fixtures, script)],
    {
      encoding: 'utf8',
      // A hang detector, not a timing assertion: a process kept alive by a timer would never exit.
      timeout: 60_000,
    },
  );
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describeOnce('circuit breaker in a real process', () => {
  it('a process that trips breakers and then idles exits by itself', () => {
    const result = runScript('idle-exit.ts');
    expect(result.stderr).toBe('');
    expect(result.signal).toBeNull();
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('open Client');
  }, 90_000);

  it('a per-instance breaker leaves the registry when its object is collected', () => {
    const result = runScript('instance-gc.ts', ['--expose-gc']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { before: string[]; after: string[]; names: string[]; alive: string };
    expect(report.before.sort()).toEqual(['gc-conn#1', 'gc-conn#2']);
    expect(report.after).toEqual(['gc-conn#2']);
    expect(report.names).toEqual(['gc-conn#2']);
    expect(report.alive).toBe('pong');
  }, 90_000);
});
