// One measuring process: `suite.js <scenario> <mode> <out.json>`, started by cli.js with
// --expose-gc. Each scenario gets a fresh process, so one scenario's heap, JIT state or async
// hooks never leak into the next; inside it, all libraries run interleaved.
import { writeFileSync } from 'node:fs';
import { loadLibraries } from './libraries/load.js';
import { SCENARIOS } from './scenarios/index.js';
import { SCALES, type Mode, type ScenarioResult } from './scenarios/scenario.js';

/** What a suite process writes: one scenario's result plus what it ran on. */
export interface SuiteOutput {
  readonly node: string;
  readonly result: ScenarioResult;
  readonly breakwaterError?: string;
}

async function main(): Promise<void> {
  const [id, mode, out] = process.argv.slice(2);
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (scenario === undefined || mode === undefined || !(mode in SCALES) || out === undefined) {
    throw new Error(`usage: suite.js <${SCENARIOS.map((s) => s.id).join('|')}> <full|quick|smoke> <out.json>`);
  }
  const { libraries, breakwaterError } = await loadLibraries();
  const result = await scenario.run({ libraries, scale: SCALES[mode as Mode], mode: mode as Mode });
  const output: SuiteOutput = { node: process.version, result, ...(breakwaterError ? { breakwaterError } : {}) };
  writeFileSync(out, JSON.stringify(output));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
