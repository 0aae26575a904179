import type { ComparisonRow } from './comparison.js';
import { escapeXml, renderTimelineSvg, type BreakerTimeline, type ClientSeries } from './report-svg.js';
import type { PhaseWindow } from './incident.js';

/** Everything the HTML report shows. */
export interface ReportData {
  /** ISO time of the run. */
  readonly generatedAt: string;
  readonly users: number;
  readonly seed: number;
  readonly windows: readonly PhaseWindow[];
  readonly breakers: readonly BreakerTimeline[];
  readonly series: readonly ClientSeries[];
  readonly comparison: readonly ComparisonRow[];
  /** Every state change as a sentence, e.g. "4.1 s: closed → open (failure_rate)". */
  readonly transitions: readonly string[];
  /** The protected client's limits for this run, as a sentence. */
  readonly limits: string;
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #212121; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; } th, td { padding: .3rem .8rem; border-bottom: 1px solid #e0e0e0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { text-align: left; background: #f5f5f5; white-space: nowrap; }
svg .label { font-size: 12px; fill: #424242; } svg .in { font-size: 11px; }
svg .tick { font-size: 11px; fill: #616161; } svg .axis { stroke: #9e9e9e; }
svg .phase { stroke: #78909c; stroke-width: 1; stroke-dasharray: 3 3; } svg .key { font-size: 11px; fill: #616161; font-style: italic; }
td:first-child { white-space: pre; } .muted { color: #757575; }
.columns { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 0 2.5rem; align-items: start; }
@media (max-width: 900px) { .columns { grid-template-columns: minmax(0, 1fr); } }
.columns h2 { margin-top: 1rem; } ol { font-size: 14px; }
ol { padding-left: 1.4rem; margin: 0; max-height: 24rem; overflow-y: auto; font-variant-numeric: tabular-nums; }`;

/**
 * The self-contained HTML report: inline SVG timeline and the with/without table, no external assets.
 * Pure: data in, string out.
 *
 * @param data - the run's results.
 * @example
 * ```ts
 * await writeFile('reports/demo.html', renderReport(data));
 * ```
 */
export function renderReport(data: ReportData): string {
  const totalS = ((data.windows[data.windows.length - 1]?.endMs ?? 0) / 1_000).toFixed(1);
  const phases = data.windows
    .map((w) => `${escapeXml(w.name)} ${(w.startMs / 1_000).toFixed(1)}–${(w.endMs / 1_000).toFixed(1)} s`)
    .join(' · ');
  const rows = data.comparison
    .map(
      (r) =>
        `<tr><td>${escapeXml(r.label)}</td><td class="n">${escapeXml(r.protectedValue)}</td><td class="n">${escapeXml(r.unprotectedValue)}</td></tr>`,
    )
    .join('\n');
  const transitions = data.transitions.map((t) => `<li>${escapeXml(t)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>breakwater demo report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>breakwater demo: one incident, with and without resilience policies</h1>
<p class="muted">Run at ${escapeXml(data.generatedAt)} · ${data.users} users per client · ${totalS} s · seed ${data.seed}<br>${phases}<br>${escapeXml(data.limits)}</p>
<h2>Timeline</h2>
<p>The breaker's state under the incident's phases, then what users got each second.</p>
${renderTimelineSvg(data.windows, data.breakers, data.series)}
<div class="columns">
<section>
<h2>With and without breakwater</h2>
<table>
<thead><tr><th></th><th>with breakwater</th><th>without</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>
<section>
<h2>Circuit state changes</h2>
<ol>
${transitions || '<li>none</li>'}
</ol>
</section>
</div>
</body>
</html>
`;
}
