import type { PhaseName, PhaseWindow } from './incident.js';
import type { SecondBucket, StateSegment } from './stats.js';

/** A breaker's states over the run, for the timeline. */
export interface BreakerTimeline {
  readonly name: string;
  readonly segments: readonly StateSegment[];
}

/** One client's requests per second, for the chart under the timeline. */
export interface ClientSeries {
  readonly label: string;
  readonly buckets: readonly SecondBucket[];
}

const PHASE_FILL: Record<PhaseName, string> = {
  healthy: '#2e7d32',
  flaky: '#f9a825',
  outage: '#c62828',
  slow: '#6a1b9a',
  recovered: '#00838f',
};
const STATE_FILL: Record<string, string> = {
  closed: '#66bb6a',
  open: '#ef5350',
  half_open: '#ffca28',
  forced_open: '#b71c1c',
  disabled: '#9e9e9e',
};
const OUTCOME_FILL = { fresh: '#43a047', stale: '#1e88e5', error: '#e53935' } as const;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const LEFT = 130;
const WIDTH = 960;
const PLOT = WIDTH - LEFT - 20;
const BAND = 26;
const CHART = 110;

/**
 * Escapes text for HTML and SVG content and attributes.
 *
 * @param text - anything printable.
 * @example
 * ```ts
 * escapeXml('<a & b>'); // '&lt;a &amp; b&gt;'
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * The timeline as one inline SVG: incident phases, each breaker's state, and per client the
 * requests started each second split into fresh, stale and error (same scale for every client).
 *
 * @param windows - the incident's phases.
 * @param breakers - each breaker's state segments.
 * @param series - each client's per-second outcomes.
 * @example
 * ```ts
 * const svg = renderTimelineSvg(service.windows, [{ name: 'quotes', segments }], [{ label: 'with', buckets }]);
 * ```
 */
export function renderTimelineSvg(
  windows: readonly PhaseWindow[],
  breakers: readonly BreakerTimeline[],
  series: readonly ClientSeries[],
): string {
  const totalMs = Math.max(1, windows[windows.length - 1]?.endMs ?? 1);
  const x = (ms: number): number => LEFT + (PLOT * Math.min(Math.max(ms, 0), totalMs)) / totalMs;
  const parts: string[] = [];
  let y = 10;
  const band = (
    label: string,
    cells: readonly { startMs: number; endMs: number; fill: string; text: string }[],
  ): void => {
    parts.push(`<text x="${LEFT - 8}" y="${y + 17}" text-anchor="end" class="label">${escapeXml(label)}</text>`);
    for (const cell of cells) {
      const w = Math.max(0.5, x(cell.endMs) - x(cell.startMs));
      parts.push(
        `<rect x="${x(cell.startMs).toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAND}" fill="${cell.fill}"><title>${escapeXml(cell.text)}</title></rect>`,
      );
      if (w > 7 * cell.text.length) {
        parts.push(
          `<text x="${(x(cell.startMs) + 4).toFixed(1)}" y="${y + 17}" class="in">${escapeXml(cell.text)}</text>`,
        );
      }
    }
    y += BAND + 8;
  };

  band(
    'incident',
    windows.map((w) => ({ startMs: w.startMs, endMs: w.endMs, fill: PHASE_FILL[w.name], text: w.name })),
  );
  for (const breaker of breakers) {
    band(
      `breaker ${breaker.name}`,
      breaker.segments.map((s) => ({ ...s, fill: STATE_FILL[s.state] ?? '#757575', text: s.state })),
    );
  }

  const peak = Math.max(1, ...series.flatMap((s) => s.buckets.map((b) => b.fresh + b.stale + b.error)));
  for (const client of series) {
    y += 6;
    parts.push(
      `<text x="${LEFT - 8}" y="${y + CHART / 2}" text-anchor="end" class="label">${escapeXml(client.label)}</text>`,
    );
    parts.push(`<line x1="${LEFT}" y1="${y + CHART}" x2="${LEFT + PLOT}" y2="${y + CHART}" class="axis"/>`);
    parts.push(`<text x="${LEFT - 8}" y="${y + 10}" text-anchor="end" class="tick">${peak} req/s</text>`);
    for (const bucket of client.buckets) {
      const left = x(bucket.second * 1_000) + 1;
      const width = Math.max(1, x(Math.min(totalMs, (bucket.second + 1) * 1_000)) - x(bucket.second * 1_000) - 2);
      let top = y + CHART;
      for (const outcome of ['fresh', 'stale', 'error'] as const) {
        const height = (CHART * bucket[outcome]) / peak;
        if (height <= 0) continue;
        top -= height;
        parts.push(
          `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${height.toFixed(1)}" fill="${OUTCOME_FILL[outcome]}"><title>${escapeXml(`${client.label}, second ${bucket.second}: ${bucket[outcome]} ${outcome}`)}</title></rect>`,
        );
      }
    }
    y += CHART + 4;
  }

  const step = totalMs > 30_000 ? 5_000 : totalMs > 10_000 ? 2_000 : 1_000;
  y += 4;
  for (let t = 0; t <= totalMs; t += step) {
    parts.push(`<text x="${x(t).toFixed(1)}" y="${y + 12}" text-anchor="middle" class="tick">${t / 1_000}s</text>`);
  }
  y += 24;
  const legend = [
    ...Object.entries(STATE_FILL)
      .slice(0, 3)
      .map(([k, v]) => [k, v] as const),
    ...Object.entries(OUTCOME_FILL).map(([k, v]) => [k === 'error' ? 'error seen by user' : k, v] as const),
  ];
  legend.forEach(([label, fill], i) => {
    const lx = LEFT + i * 130;
    parts.push(
      `<rect x="${lx}" y="${y}" width="12" height="12" fill="${fill}"/><text x="${lx + 16}" y="${y + 11}" class="tick">${escapeXml(label)}</text>`,
    );
  });
  y += 20;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${y}" width="${WIDTH}" height="${y}" role="img" aria-label="Breaker state against the incident phases">${parts.join('')}</svg>`;
}
