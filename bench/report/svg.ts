import type { ScenarioResult } from '../scenarios/scenario.js';
import { formatValue, label } from './format.js';
import type { NodeRun } from './types.js';

// Small multiples: one panel per scenario, one pair of bars (first run dark, second light) per
// library. Each panel has its own linear scale; a bar far beyond the others is cut short and
// marked, its label still giving the real number.

const PANEL_W = 410;
const LABEL_W = 150;
const BAR_H = 8;
const GROUP_H = 22;
const TITLE_H = 34;
const COLUMNS = 3;
const COLORS = ['#1f5f99', '#8fb8de'];

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '');

function panel(
  results: readonly (ScenarioResult | undefined)[],
  x: number,
  y: number,
): { svg: string; height: number } {
  const first = results.find((r) => r !== undefined)!;
  const ids = [
    ...new Set(results.flatMap((r) => r?.rows.filter((row) => row.summary).map((row) => row.library) ?? [])),
  ];
  const value = (r: ScenarioResult | undefined, id: string): number | undefined =>
    r?.rows.find((row) => row.library === id)?.summary?.median;
  // The largest value of each library, so that one outlier library (not one run) sets the cut.
  const largest = ids.map((id) => Math.max(0, ...results.map((r) => value(r, id) ?? 0))).sort((a, b) => b - a);
  const top = largest[0] ?? 1;
  const second = largest[1] ?? top;
  const scaleMax = top > 5 * second && second > 0 ? 2.5 * second : top || 1;
  const barMax = PANEL_W - LABEL_W - 80;
  const parts = [
    `<text x="${x}" y="${y + 14}" font-weight="bold">${escape(first.title)}</text>`,
    `<text x="${x}" y="${y + 28}" fill="#555" font-size="10">${escape(first.metric.split('(')[0]!.trim())}; lower is better</text>`,
  ];
  ids.forEach((id, i) => {
    const gy = y + TITLE_H + i * GROUP_H;
    parts.push(`<text x="${x + LABEL_W - 6}" y="${gy + BAR_H + 3}" text-anchor="end">${escape(label(id))}</text>`);
    results.forEach((r, k) => {
      const v = value(r, id);
      if (v === undefined) return;
      const clipped = v > scaleMax;
      const w = Math.max(1, (Math.min(Math.max(v, 0), scaleMax) / scaleMax) * barMax);
      const by = gy + k * (BAR_H + 1);
      parts.push(
        `<rect x="${x + LABEL_W}" y="${by}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${COLORS[k] ?? '#999'}"/>`,
      );
      if (clipped)
        parts.push(`<text x="${x + LABEL_W + w - 10}" y="${by + BAR_H - 1}" fill="#fff" font-size="9">//</text>`);
      parts.push(
        `<text x="${x + LABEL_W + w + 4}" y="${by + BAR_H}" font-size="9">${escape(formatValue(v, first.unit))}</text>`,
      );
    });
  });
  return { svg: parts.join('\n'), height: TITLE_H + ids.length * GROUP_H + 14 };
}

/** bench/results/chart.svg for up to two runs (e.g. Node 24 and Node 20). */
export function chart(runs: readonly NodeRun[]): string {
  const ids =
    runs[0]?.scenarios.filter((s) => s.rows.some((r) => r.summary) && s.id !== 'exit-on-idle').map((s) => s.id) ?? [];
  const panels: string[] = [];
  let y = 40;
  for (let i = 0; i < ids.length; i += COLUMNS) {
    let rowHeight = 0;
    ids.slice(i, i + COLUMNS).forEach((id, c) => {
      const p = panel(
        runs.map((run) => run.scenarios.find((s) => s.id === id)),
        10 + c * (PANEL_W + 10),
        y,
      );
      panels.push(p.svg);
      rowHeight = Math.max(rowHeight, p.height);
    });
    y += rowHeight + 10;
  }
  const width = 10 + COLUMNS * (PANEL_W + 10);
  const legend = runs
    .map(
      (run, k) =>
        `<rect x="${10 + k * 150}" y="12" width="12" height="10" fill="${COLORS[k] ?? '#999'}"/><text x="${26 + k * 150}" y="21">Node ${escape(run.node)}</text>`,
    )
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    legend,
    `<text x="${width - 10}" y="21" text-anchor="end" fill="#555" font-size="10">medians of interleaved rounds; // = bar cut short</text>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
