import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { now } from '../harness/timing.js';

export interface ChildOutcome {
  /** True when the process ended on its own before the limit. */
  readonly exited: boolean;
  readonly code: number | null;
  /** Wall time from spawn until exit (or until it was killed at the limit). */
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `child.js` with the same Node binary; kills it (SIGKILL) at `limitMs`. */
export function runChild(args: readonly string[], limitMs: number): Promise<ChildOutcome> {
  const script = join(__dirname, '..', 'child.js');
  return new Promise((resolve) => {
    const start = now();
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const limit = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ exited: !killed, code, ms: (now() - start) / 1e6, stdout, stderr });
    });
  });
}
