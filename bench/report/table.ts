import { LIBRARY_IDS } from '../libraries/adapter.js';
import type { ScenarioResult } from '../scenarios/scenario.js';
import { formatSummary, label } from './format.js';
import { checkTargets, type TargetCheck } from './targets.js';
import type { NodeRun } from './types.js';

/** A cell for one library in one scenario: the summary, "yes"/"no" for exits, or a note. */
export function cell(result: ScenarioResult, id: string): string {
  const row = result.rows.find((r) => r.library === id);
  if (row === undefined) return '';
  if (row.exited === false) return 'no';
  if (row.summary)
    return row.exited === true
      ? `yes, ${formatSummary(row.summary, result.unit)}`
      : formatSummary(row.summary, result.unit);
  return row.note !== undefined ? 'failed' : '';
}

/** Whether a scenario compares libraries (scenarios 11 and 12 compare a baseline with their own rows). */
const comparesLibraries = (s: ScenarioResult): boolean =>
  s.rows.some((r) => r.library !== 'baseline' && (LIBRARY_IDS as readonly string[]).includes(r.library));

/**
 * Matrix of scenarios (rows) × libraries (columns) for one Node version: only the scenarios that
 * compare libraries, so a run of such scenarios alone has just the header.
 */
export function matrix(run: NodeRun): string[][] {
  const header = ['scenario', ...LIBRARY_IDS.map(label)];
  const body = run.scenarios
    .filter(comparesLibraries)
    .map((s) => [s.title.replace(/^(\d+)\. /, '$1 '), ...LIBRARY_IDS.map((id) => cell(s, id))]);
  return [header, ...body];
}

/** One line per target check: "met"/"MISSED" with the ratio behind it. */
export function describeCheck(check: TargetCheck): string {
  if (check.notApplicable !== undefined) return `n/a: ${check.notApplicable}`;
  const verdict = check.met === undefined ? 'n/a' : check.met ? 'met' : 'MISSED';
  if (check.ratio !== undefined && check.met === false && check.reachable === false) {
    // Nothing could have met it here: the floor alone is already past the limit.
    return `${verdict} (${check.ratio.toFixed(2)}×; out of reach here: ${label(check.floor!)} alone is ${check.floorRatio!.toFixed(2)}×)`;
  }
  if (check.ratio !== undefined) return `${verdict} (${check.ratio.toFixed(2)}×)`;
  if (check.value !== undefined) return `${verdict} (${check.value.toFixed(check.value < 10 ? 1 : 0)})`;
  return verdict;
}

/** The targets table: one row per target, one column per breakwater path. */
export function targetRows(checks: readonly TargetCheck[]): string[][] {
  const rows = [['target', label('bw-decorator'), label('bw-functional')]];
  for (const target of [...new Set(checks.map((c) => c.target))]) {
    const of = (path: string): string => {
      const check = checks.find((c) => c.target === target && c.path === path);
      return check ? describeCheck(check) : '';
    };
    rows.push([target, of('bw-decorator'), of('bw-functional')]);
  }
  return rows;
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((v, c) => v.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The plain-text report printed to stdout. */
export function textReport(runs: readonly NodeRun[], rounds: number): string {
  const parts: string[] = [];
  for (const run of runs) {
    parts.push(`\nNode ${run.node} (V8 ${run.v8}) — medians of ${rounds} interleaved rounds, ± half the IQR`);
    if (run.breakwaterError !== undefined) parts.push(`breakwater not measured: ${run.breakwaterError}`);
    const compared = matrix(run);
    if (compared.length > 1) parts.push(pad(compared));
    const awaitCost = run.scenarios.find((s) => s.id === 'await-cost');
    if (awaitCost) {
      parts.push(
        `${awaitCost.title}: ${awaitCost.rows.map((r) => `${label(r.library)} ${r.summary ? formatSummary(r.summary, awaitCost.unit) : 'failed'}`).join('; ')}`,
      );
    }
    const exporters = run.scenarios.find((s) => s.id === 'exporter-cost');
    if (exporters) {
      parts.push(
        `${exporters.title}: ${exporters.rows.map((r) => `${label(r.library)} ${r.summary ? formatSummary(r.summary, exporters.unit) : 'failed'}`).join('; ')}`,
        ...exporters.notes.filter((n) => n.includes(' on: ')),
      );
    }
    const checks = checkTargets(run).filter((c) => c.value !== undefined || c.met !== undefined);
    if (checks.length > 0) parts.push(`Targets on Node ${run.node}:\n${pad(targetRows(checks))}`);
  }
  return parts.join('\n');
}
