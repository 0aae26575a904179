import type { ScenarioResult } from '../scenarios/scenario.js';

/** All scenarios measured on one Node version. */
export interface NodeRun {
  readonly node: string;
  readonly v8: string;
  readonly scenarios: readonly ScenarioResult[];
  readonly breakwaterError?: string;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  /** 1-minute load average when the run started and when it ended: above the core count, other work competed. */
  readonly loadAverage: readonly [number, number];
}

/** The whole report: bench/results/results.json. */
export interface BenchReport {
  readonly date: string;
  readonly mode: string;
  readonly machine: Machine;
  readonly versions: Readonly<Record<string, string>>;
  readonly runs: readonly NodeRun[];
}
