import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeOnce } from '../support/mode';

// Child processes run once, in the `standard` jest project (the scripts are transpiled with
// standard decorators by the circuit breaker's fixtures/register-ts.cjs).
const register = join(__dirname, '..', 'policies', 'circuit-breaker', 'fixtures', 'register-ts.cjs');

describeOnce('async context in a real process', () => {
  it("does not keep a caller's context alive after a decorated call that carried a signal", () => {
    const result = spawnSync(
      process.execPath,
      ['--expose-gc', '-r', register, join(__dirname, 'fixtures', 'context-gc.ts')],
      // A hang detector, not a timing assertion.
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ collected: true });
  }, 90_000);
});
